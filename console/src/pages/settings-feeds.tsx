import { apiPath, type Stats } from '../api';
import { Failure, Loading, Source, age, useApi, when } from '../ui';
import type { TabProps } from './settings';

/** Each advisory feed in the server's database: its newest record and when it was imported, with their ages. */
export function FeedsTab({ onUnauthorized }: TabProps) {
  const stats = useApi<Stats>('stats', {}, onUnauthorized);
  if (stats.loading) return <Loading what="advisory feeds" />;
  if (stats.error) return <Failure error={stats.error} />;
  const feeds = [...(stats.data?.feeds ?? [])].sort((a, b) => (a.feed < b.feed ? -1 : 1));
  return (
    <>
      <table data-testid="feeds-table">
        <caption class="visually-hidden">Advisory feeds and their ages</caption>
        <thead>
          <tr>
            <th scope="col">Feed</th>
            <th scope="col">Newest record</th>
            <th scope="col" class="num">Age</th>
            <th scope="col">Imported</th>
            <th scope="col" class="num">Import age</th>
            <th scope="col">Age from</th>
          </tr>
        </thead>
        <tbody>
          {feeds.map((f) => (
            <tr key={f.feed} data-feed={f.feed}>
              <td>{f.feed}</td>
              <td>{when(f.newestAt)}</td>
              <td class="num">{age(f.ageSeconds)}</td>
              <td>{when(f.importedAt)}</td>
              <td class="num">{age(f.importAgeSeconds)}</td>
              <td>{f.basis === 'record' ? 'the newest record' : 'the import (the feed dates no record)'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {feeds.length === 0 ? <p>No advisory feed imported: run vigil db update or vigil db import on the server.</p> : null}
      <Source>
        <code>{apiPath('stats')}</code> (<code>feeds</code>, at {when(stats.data?.takenAt)})
      </Source>
    </>
  );
}
