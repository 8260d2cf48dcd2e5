import type { Logger } from 'pino';
import { describeError } from '../common/errors.js';
import { AGENT_INITIAL, agentTransition, type AgentState } from '../common/lifecycle/agent.js';

/**
 * The daemon's current lifecycle state (common/lifecycle/agent.ts). Every change
 * goes through `enter`, which applies a transition the table allows. One it does not
 * allow is a bug: with `strict` (tests) it throws; otherwise it is logged at error
 * and the state stays what it was, so a running agent keeps its stream and outbox.
 */
export class AgentLifecycle {
  private current: AgentState = AGENT_INITIAL;

  constructor(
    private readonly log: Logger,
    private readonly agentId: () => string,
    private readonly strict = false,
  ) {}

  get state(): AgentState {
    return this.current;
  }

  /** Whether the daemon was told to stop (stopping or stopped). */
  get ending(): boolean {
    return this.current.kind === 'stopping' || this.current.kind === 'stopped';
  }

  /** Applies `next`; returns whether it was allowed. */
  enter(next: AgentState): boolean {
    const from = this.current;
    try {
      this.current = agentTransition(this.agentId(), from, next);
    } catch (err) {
      if (this.strict) throw err;
      this.log.error({ from: from.kind, to: next.kind, err: describeError(err) }, 'agent state transition refused');
      return false;
    }
    this.log.debug({ from: from.kind, to: next.kind }, 'agent state');
    return true;
  }
}
