// Incidents (findings grouped by core/incidents), then the loose findings, one line each and
// expanded on demand. A storyline step or a finding selects its first event and opens the
// timeline on its span with a readable margin; state buttons record the analyst's decision;
// next/previous walk the listed findings in reading order (buttons, and the keys ] and [).
// The selected-event panel asks, through findings-bus.ts, to show a finding or an incident here.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { WORKFLOW_STATES, type Finding, type Incident, type WorkflowStateValue } from '../../../core/api.ts';
import { formatTimestamp } from '../display/time.ts';
import { useTimeView } from '../state/view.tsx';
import { useWorkbench } from '../state/workbench.tsx';
import { showInFindings, workflowChanged, type ShowRequest } from './findings-bus.ts';
import { listFindings, paddedView, stateOfFinding, stepWalk, type FindingsFilter } from './findings-list.ts';
import { useKeyActions } from '../keys/KeyActions.tsx';

const STATE_LABEL: Record<WorkflowStateValue, string> = { open: 'open', confirmed: 'confirmed', false_positive: 'false positive', needs_review: 'needs review' };

export function FindingsPanel() {
  const { api, dataVersion, select, reportError, localTime } = useWorkbench();
  const { bounds, setView, setHighlightRange } = useTimeView();
  const [findings, setFindings] = useState<Finding[] | null>(null);
  const [incidents, setIncidents] = useState<Incident[]>([]);
  const [filter, setFilter] = useState<FindingsFilter>({ minScore: 0, state: 'all' });
  const [expanded, setExpanded] = useState<Set<string>>(new Set());
  const [current, setCurrent] = useState<number | null>(null);
  const [currentIncident, setCurrentIncident] = useState<number | null>(null);
  const [reload, setReload] = useState(0);
  const listRef = useRef<HTMLElement>(null);

  useEffect(() => {
    let live = true;
    Promise.all([api.findings({}), api.incidents({})]).then(
      ([f, i]) => {
        if (!live) return;
        setFindings(f);
        setIncidents(i);
      },
      (error: unknown) => live && reportError(error),
    );
    return () => {
      live = false;
    };
  }, [api, dataVersion, reportError, reload]);

  const listing = useMemo(() => listFindings(findings ?? [], incidents, filter), [findings, incidents, filter]);
  const byId = useMemo(() => new Map((findings ?? []).map((f) => [f.finding_id, f])), [findings]);

  const show = useCallback(
    (finding_id: number, event_ids: number[], from_us: number, to_us: number, selectFirst = true) => {
      setCurrent(finding_id);
      const first = event_ids[0];
      if (first !== undefined && selectFirst) select(first, 'panel');
      setHighlightRange({ from_us, to_us: Math.max(to_us, from_us + 1) });
      if (bounds) setView(paddedView(from_us, to_us, bounds));
    },
    [bounds, select, setHighlightRange, setView],
  );
  const showFinding = (f: Finding) => show(f.finding_id, f.event_ids, f.first_us, f.last_us);
  // An incident opened (from its line or from an event's panel): its span lit and in view.
  const showIncidentSpan = (incident: Incident) => {
    setCurrentIncident(incident.id);
    setHighlightRange({ from_us: incident.start_us, to_us: Math.max(incident.end_us, incident.start_us + 1) });
    if (bounds) setView(paddedView(incident.start_us, incident.end_us, bounds));
  };
  const toggle = (key: string) =>
    setExpanded((old) => {
      const next = new Set(old);
      if (next.has(key)) next.delete(key);
      else next.add(key);
      return next;
    });
  const go = (step: 1 | -1) => {
    const id = stepWalk(listing.walk, current, step);
    const f = id === null ? undefined : byId.get(id);
    if (!f) return;
    const holder = listing.incidents.find((i) => i.finding_ids.includes(f.finding_id));
    setExpanded((old) => new Set([...old, holder ? `i${holder.id}` : `f${f.finding_id}`]));
    setCurrentIncident(holder?.id ?? null);
    showFinding(f);
  };
  // The key map's ] and [ walk the same way while this panel is shown.
  useKeyActions({ 'finding-next': () => go(1), 'finding-prev': () => go(-1) });
  const setState = (subject: 'finding' | 'incident', id: number, state: WorkflowStateValue) => {
    api.setWorkflowState({ subject, id, state }).then(() => {
      setReload((n) => n + 1);
      workflowChanged.emit(id);
    }, reportError);
  };

  // The selected-event panel's "show this finding / incident": expand, mark, scroll to it, and
  // light its span on the timeline without moving the selection off the event the analyst is on.
  const [pendingScroll, setPendingScroll] = useState<string | null>(null);
  const onShowRef = useRef<(r: ShowRequest) => void>(() => undefined);
  onShowRef.current = (r: ShowRequest) => {
    if (r.subject === 'incident') {
      const incident = incidents.find((i) => i.id === r.id);
      if (!incident) return;
      setExpanded((old) => new Set([...old, `i${incident.id}`]));
      showIncidentSpan(incident);
      setPendingScroll(`[data-testid="incident-item"][data-incident-id="${incident.id}"]`);
      return;
    }
    const f = byId.get(r.id);
    if (!f) return;
    const holder = incidents.find((i) => i.finding_ids.includes(f.finding_id));
    setExpanded((old) => new Set([...old, holder ? `i${holder.id}` : `f${f.finding_id}`]));
    setCurrentIncident(holder?.id ?? null);
    show(f.finding_id, f.event_ids, f.first_us, f.last_us, false);
    setPendingScroll(`[data-finding-id="${f.finding_id}"]`);
  };
  useEffect(() => showInFindings.on((r) => onShowRef.current(r)), []);
  useEffect(() => {
    if (!pendingScroll) return;
    listRef.current?.querySelector(pendingScroll)?.scrollIntoView({ block: 'nearest' });
    setPendingScroll(null);
  }, [pendingScroll, expanded]);
  const time = (us: number) => formatTimestamp(us, localTime);
  // The list's lines carry the time of day only (the full time is the tooltip): a screenful of them.
  const clock = (us: number) => time(us).split(' ')[1]?.slice(0, 8) ?? time(us);

  return (
    <section className="panel findings" data-testid="findings-panel" ref={listRef}>
      <div className="findings-toolbar">
        <label title="Minimum score">
          ≥{' '}
          <select data-testid="filter-score" aria-label="Minimum score" value={filter.minScore} onChange={(e) => setFilter({ ...filter, minScore: Number(e.target.value) })}>
            {[0, 30, 50, 70, 90].map((s) => (
              <option key={s} value={s}>{s}</option>
            ))}
          </select>
        </label>
        <label title="Workflow state">
          <select data-testid="filter-state" aria-label="Workflow state" value={filter.state} onChange={(e) => setFilter({ ...filter, state: e.target.value as FindingsFilter['state'] })}>
            <option value="all">all</option>
            {WORKFLOW_STATES.map((s) => (
              <option key={s} value={s}>{STATE_LABEL[s]}</option>
            ))}
          </select>
        </label>
        <button type="button" data-testid="finding-prev" onClick={() => go(-1)} title="Previous finding ([)" aria-label="Previous finding" aria-keyshortcuts="[">◀</button>
        <button type="button" data-testid="finding-next" onClick={() => go(1)} title="Next finding (])" aria-label="Next finding" aria-keyshortcuts="]">▶</button>
      </div>
      {findings === null && <p className="muted">Loading findings…</p>}
      {findings?.length === 0 && <p className="muted">No findings: the rules found nothing to rank in this case.</p>}
      {listing.incidents.length > 0 && <h4>Incidents</h4>}
      <ol>
        {listing.incidents.map((incident) => {
          const open = expanded.has(`i${incident.id}`);
          return (
            <li
              key={`i${incident.id}`}
              className={currentIncident === incident.id ? 'incident current' : 'incident'}
              data-testid="incident-item"
              data-incident-id={incident.id}
              data-state={incident.workflow.state}
            >
              <div
                className="finding-head"
                onClick={() => {
                  toggle(`i${incident.id}`);
                  if (!open) showIncidentSpan(incident);
                }}
              >
                <span className="score">{incident.score}</span>
                <div>
                  <div className="finding-title" title={incident.title}>{incident.title}</div>
                  <div className="finding-meta muted" title={time(incident.start_us)}>
                    {clock(incident.start_us)} · {incident.finding_ids.length} findings · {STATE_LABEL[incident.workflow.state]}
                  </div>
                </div>
              </div>
              {open && (
                <div className="incident-body">
                  <div className="attack">{incident.tactics.join(' → ')}</div>
                  <StateButtons value={incident.workflow.state} onSet={(s) => setState('incident', incident.id, s)} />
                  <ol className="storyline">
                    {incident.steps.map((step, index) => (
                      <li
                        key={`${step.finding_id}-${index}`}
                        data-testid="incident-step"
                        data-finding-id={step.finding_id}
                        data-kind={step.kind ?? 'finding'}
                        className={step.finding_id > 0 && current === step.finding_id ? 'current' : step.kind === 'shell_end' ? 'shell-end' : undefined}
                        onClick={() => {
                          setCurrentIncident(incident.id);
                          const f = byId.get(step.finding_id);
                          show(step.finding_id, step.event_ids, step.ts_us, f?.last_us ?? step.ts_us);
                        }}
                      >
                        <span className="mono">{step.text}</span>
                        {current === step.finding_id && byId.get(step.finding_id) && (
                          <StateButtons value={stateOfFinding(byId.get(step.finding_id) as Finding)} onSet={(s) => setState('finding', step.finding_id, s)} />
                        )}
                      </li>
                    ))}
                  </ol>
                  <Touched incident={incident} />
                </div>
              )}
            </li>
          );
        })}
      </ol>
      {listing.loose.length > 0 && listing.incidents.length > 0 && <h4>Loose findings</h4>}
      <ol>
        {listing.loose.map((finding) => {
          const open = expanded.has(`f${finding.finding_id}`);
          return (
            <li
              key={finding.finding_id}
              data-testid="finding-item"
              data-finding-id={finding.finding_id}
              data-state={stateOfFinding(finding)}
              className={current === finding.finding_id ? 'current' : undefined}
              onClick={() => {
                toggle(`f${finding.finding_id}`);
                showFinding(finding);
              }}
            >
              <div className="finding-head">
                <span className="score">{finding.score.toFixed(0)}</span>
                <div>
                  <div className="finding-title" title={finding.title}>{finding.title}</div>
                  <div className="finding-meta muted" title={time(finding.first_us)}>
                    {clock(finding.first_us)} · {STATE_LABEL[stateOfFinding(finding)]}
                  </div>
                </div>
              </div>
              {open && (
                <div onClick={(e) => e.stopPropagation()}>
                  <div className="muted mono">{finding.rule}</div>
                  <p>{finding.explanation}</p>
                  {finding.attack.length > 0 && <div className="attack">ATT&amp;CK: {finding.attack.join(', ')}</div>}
                  <StateButtons value={stateOfFinding(finding)} onSet={(s) => setState('finding', finding.finding_id, s)} />
                </div>
              )}
            </li>
          );
        })}
      </ol>
    </section>
  );
}

function StateButtons({ value, onSet }: { value: WorkflowStateValue; onSet: (state: WorkflowStateValue) => void }) {
  return (
    <div className="state-buttons" onClick={(e) => e.stopPropagation()}>
      {WORKFLOW_STATES.map((s) => (
        <button key={s} type="button" data-testid={`state-${s}`} aria-pressed={value === s} onClick={() => onSet(s)}>
          {STATE_LABEL[s]}
        </button>
      ))}
    </div>
  );
}

function Touched({ incident }: { incident: Incident }) {
  const t = incident.touched;
  return (
    <div className="muted">
      {t.files.length > 0 && <div>files: {t.files.slice(0, 10).join(', ')}{t.files.length > 10 ? ', …' : ''}</div>}
      {t.endpoints.length > 0 && <div>endpoints: {t.endpoints.join(', ')}</div>}
      {(t.controller_writes > 0 || t.alarms > 0) && <div>within its span: {t.controller_writes} controller writes, {t.alarms} alarms</div>}
    </div>
  );
}
