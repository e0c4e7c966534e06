// A process of the case as the process tree knows it (core/process builds it; the contract
// hands it to the UI as is).

export interface ProcessMember {
  capture_id: number;
  pid: number;
  first_us: number;
  last_us: number;
}

export interface ProcessNode {
  proc_id: number;
  host: string | null;
  /** The pid analysts read in the API captures (namespace pid inside a container), else the host pid. */
  pid: number;
  /** The pid in the host's namespace when a source gave both. */
  host_pid: number | null;
  ns_pid: number | null;
  parent_id: number | null;
  ppid: number | null;
  image: string | null;
  command_line: string | null;
  user: string | null;
  start_us: number;
  end_us: number;
  exit_code: number | null;
  exited: boolean;
  captures: number[];
  events: number;
  /** (capture, pid) pairs that are this process, with the times each was seen. */
  members: ProcessMember[];
  /** Findings whose events include this process's (filled when the tree is read for the UI). */
  finding_ids?: number[];
}
