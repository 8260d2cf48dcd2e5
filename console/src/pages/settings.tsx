import { href } from '../route';
import { AuditTab } from './settings-audit';
import { EventsTab } from './settings-events';
import { FeedsTab } from './settings-feeds';
import { RulesTab } from './settings-rules';
import { TokensTab } from './settings-tokens';

/** Settings: one tab per kind of server state, each at its own address (`#/settings/rules`). */

export interface TabProps {
  params: URLSearchParams;
  onUnauthorized: (m: string) => void;
}

const TABS: Array<[string, string, (p: TabProps) => preact.JSX.Element]> = [
  ['rules', 'Suppression rules', RulesTab],
  ['events', 'Event routes and deliveries', EventsTab],
  ['feeds', 'Advisory feeds', FeedsTab],
  ['tokens', 'API tokens', TokensTab],
  ['audit', 'Audit log', AuditTab],
];

export function Settings({ tab, params, onUnauthorized }: { tab: string | undefined; params: URLSearchParams; onUnauthorized: (m: string) => void }) {
  const current = TABS.find(([id]) => id === (tab ?? 'rules'));
  const Tab = current?.[2];
  return (
    <>
      <h1>Settings{current ? `: ${current[1]}` : ''}</h1>
      <nav aria-label="Settings" class="tabs">
        <ul>
          {TABS.map(([id, label]) => (
            <li key={id}>
              <a href={href(['settings', id])} aria-current={current?.[0] === id ? 'page' : undefined}>
                {label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      {Tab ? (
        <Tab params={params} onUnauthorized={onUnauthorized} />
      ) : (
        <div class="error" role="alert">
          No settings page {tab}. <a href={href(['settings'])}>Go to the suppression rules</a>.
        </div>
      )}
    </>
  );
}
