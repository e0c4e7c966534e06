// logsource {product: windows, service: X}: the events of one event log channel (the table
// pySigma's windows pipeline uses), read generically by EventData name. A service not in the
// table is matched by a channel named after it.
import { sql } from '../../../store/sql.ts';
import { oneOf, src, WINDOWS_EVENT_FORMATS, type Binding } from './types.ts';

export const WINDOWS_SERVICE_CHANNELS: Record<string, string[]> = {
  security: ['Security'],
  system: ['System'],
  application: ['Application'],
  sysmon: ['Microsoft-Windows-Sysmon/Operational'],
  powershell: ['Microsoft-Windows-PowerShell/Operational', 'PowerShellCore/Operational'],
  'powershell-classic': ['Windows PowerShell'],
  taskscheduler: ['Microsoft-Windows-TaskScheduler/Operational'],
  wmi: ['Microsoft-Windows-WMI-Activity/Operational'],
  'dns-server': ['DNS Server'],
  'dns-server-analytic': ['Microsoft-Windows-DNS-Server/Analytical'],
  'dns-client': ['Microsoft-Windows-DNS Client Events/Operational'],
  'driver-framework': ['Microsoft-Windows-DriverFrameworks-UserMode/Operational'],
  windefend: ['Microsoft-Windows-Windows Defender/Operational'],
  'bits-client': ['Microsoft-Windows-Bits-Client/Operational'],
  applocker: ['Microsoft-Windows-AppLocker/MSI and Script', 'Microsoft-Windows-AppLocker/EXE and DLL', 'Microsoft-Windows-AppLocker/Packaged app-Deployment', 'Microsoft-Windows-AppLocker/Packaged app-Execution'],
  'firewall-as': ['Microsoft-Windows-Windows Firewall With Advanced Security/Firewall'],
  'codeintegrity-operational': ['Microsoft-Windows-CodeIntegrity/Operational'],
  'terminalservices-localsessionmanager': ['Microsoft-Windows-TerminalServices-LocalSessionManager/Operational'],
  'security-mitigations': ['Microsoft-Windows-Security-Mitigations/Kernel Mode', 'Microsoft-Windows-Security-Mitigations/User Mode'],
  'msexchange-management': ['MSExchange Management'],
  'printservice-admin': ['Microsoft-Windows-PrintService/Admin'],
  'printservice-operational': ['Microsoft-Windows-PrintService/Operational'],
  'smbclient-security': ['Microsoft-Windows-SmbClient/Security'],
  'smbclient-connectivity': ['Microsoft-Windows-SmbClient/Connectivity'],
  ntlm: ['Microsoft-Windows-NTLM/Operational'],
  openssh: ['OpenSSH/Operational'],
  'ldap_debug': ['Microsoft-Windows-LDAP-Client/Debug'],
  'appxdeployment-server': ['Microsoft-Windows-AppXDeploymentServer/Operational'],
  'appxpackaging-om': ['Microsoft-Windows-AppxPackaging/Operational'],
  'diagnosis-scripted': ['Microsoft-Windows-Diagnosis-Scripted/Operational'],
  capi2: ['Microsoft-Windows-CAPI2/Operational'],
  'certificateservicesclient-lifecycle-system': ['Microsoft-Windows-CertificateServicesClient-Lifecycle-System/Operational'],
  dhcp: ['Microsoft-Windows-DHCP-Server/Operational'],
  'lsa-server': ['Microsoft-Windows-LSA/Operational'],
  'shell-core': ['Microsoft-Windows-Shell-Core/Operational'],
  'appmodel-runtime': ['Microsoft-Windows-AppModel-Runtime/Admin'],
  vhdmp: ['Microsoft-Windows-VHDMP/Operational'],
  'kernel-shimengine': ['Microsoft-Windows-Kernel-ShimEngine/Operational', 'Microsoft-Windows-Kernel-ShimEngine/Diagnostic'],
  'hyper-v-worker': ['Microsoft-Windows-Hyper-V-Worker'],
  'sysmon-linux': ['Linux-Sysmon/Operational'],
};

export function windowsService(service: string): Binding {
  const channels = WINDOWS_SERVICE_CHANNELS[service.toLowerCase()];
  const when = channels
    ? sql`(contains(e.fields, '"Channel"') AND ${oneOf(src('Channel'), channels)})`
    : // Not in the table: a channel named after the service ("Microsoft-Windows-<service>/…").
      sql`(contains(e.fields, '"Channel"') AND ${src('Channel')} ILIKE ${`%${service.replace(/[%_\\]/g, '')}%`})`;
  return { source: `Windows ${service} channel`, formats: WINDOWS_EVENT_FORMATS, when, fields: {}, generic: true };
}
