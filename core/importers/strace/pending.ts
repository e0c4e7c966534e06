// Calls begun with `<unfinished ...>` and not yet resumed, per task (CallTraceParser). Each task
// has a stack, so that ltrace's nested calls pair with their own `<... name resumed>`; lines
// without a task id share one stack until the id they have is learnt.
const NO_ID = -1;

export class PendingCalls<P extends { name: string }> {
  private readonly stacks = new Map<number, P[]>();

  push(taskId: number | null, p: P): void {
    const key = taskId ?? NO_ID;
    const stack = this.stacks.get(key);
    if (stack) stack.push(p);
    else this.stacks.set(key, [p]);
  }

  /** The task's latest pending call of `name`, taken off its stack; null when there is none. */
  take(taskId: number | null, name: string): P | null {
    const stack = this.stacks.get(taskId ?? NO_ID);
    if (!stack) return null;
    for (let i = stack.length - 1; i >= 0; i--) {
      if (stack[i]?.name === name) return stack.splice(i, 1)[0] ?? null;
    }
    return null;
  }

  /** Every pending call of the task (it exited, or its id became known), taken, oldest first. */
  takeTask(taskId: number | null): P[] {
    const key = taskId ?? NO_ID;
    const stack = this.stacks.get(key) ?? [];
    this.stacks.delete(key);
    return stack;
  }

  /** Every pending call left (the capture ended), taken. */
  takeAll(): P[] {
    const all = [...this.stacks.values()].flat();
    this.stacks.clear();
    return all;
  }
}
