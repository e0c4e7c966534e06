// Between the findings panel and the selected-event panel, without widening the shared workbench
// state: a request to show one finding or incident in the findings panel, and a notice that the
// findings' workflow states changed (so the selected event's list shows the new state).

export interface ShowRequest {
  subject: 'finding' | 'incident';
  id: number;
}

type Listener<T> = (value: T) => void;

class Channel<T> {
  private readonly listeners = new Set<Listener<T>>();
  /** Subscribes; returns the unsubscribe function (an effect's cleanup). */
  on(listener: Listener<T>): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }
  emit(value: T): void {
    for (const l of [...this.listeners]) l(value);
  }
}

/** "Show this finding / incident": the findings panel expands, marks and scrolls to it. */
export const showInFindings = new Channel<ShowRequest>();
/** A workflow state was set: lists showing states fetch again. */
export const workflowChanged = new Channel<number>();
