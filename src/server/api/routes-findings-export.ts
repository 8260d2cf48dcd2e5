import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { VigilError } from '../../common/errors.js';
import { CSV_HEADER, csvRecord, type ReportHost } from '../../report/index.js';
import { FINDING_SORT_KEYS } from '../../store/fleet-store.js';
import type { HostDetail } from '../fleet-types.js';
import { reportHost } from '../report-host.js';
import { ERRORS, type ApiOptions } from './options.js';
import { parseSort } from './paging.js';
import { findingFilterOf, findingsQuerySchema } from './routes-findings.js';

/**
 * GET /api/v1/findings/export.csv: every finding a findings query selects (all of its
 * pages, in its sort), as `vigil report --format csv` writes them: the same columns
 * (src/report/csv.ts) and the same host columns (report-host.ts). Rows are written as
 * the store's pages arrive, 1,000 at a time, so an export of the whole fleet is never
 * held in memory.
 */

const PAGE = 1000;
const { cursor: _c, limit: _l, ...filterProperties } = findingsQuerySchema.properties;

type ExportQuery = Parameters<typeof findingFilterOf>[0] & { sort?: string };

export function findingExportRoutes(opts: ApiOptions) {
  return async (app: FastifyInstance): Promise<void> => {
    app.get<{ Querystring: ExportQuery }>('/api/v1/findings/export.csv', {
      config: { role: 'viewer' },
      schema: {
        summary: 'Every finding a findings query selects, as CSV (the columns of vigil report --format csv)',
        tags: ['findings'],
        querystring: { ...findingsQuerySchema, properties: filterProperties },
        response: { 200: { description: 'RFC 4180 CSV with a header line, CRLF line ends', content: { 'text/csv': { schema: { type: 'string' } } } }, ...ERRORS },
      },
      handler: async (req, reply) => {
        const filter = findingFilterOf(req.query);
        const sort = parseSort(req.query.sort, FINDING_SORT_KEYS, '-score');
        // The first page is read before the answer starts, so a refused query is still a problem+json answer.
        let page = await opts.fleet.findingsPage(filter, { sort: sort.key, descending: sort.descending, limit: PAGE });
        const hosts = new Map<string, ReportHost | undefined>();
        const hostOf = async (id: string): Promise<ReportHost | undefined> => {
          if (!hosts.has(id)) {
            try {
              const detail: HostDetail = await opts.fleet.host(id);
              hosts.set(id, reportHost(detail, detail));
            } catch (err) {
              if (!(err instanceof VigilError && err.code === 'NOT_FOUND')) throw err;
              hosts.set(id, undefined);
            }
          }
          return hosts.get(id);
        };
        async function* rows(): AsyncGenerator<string> {
          yield `${CSV_HEADER}\r\n`;
          for (;;) {
            let chunk = '';
            for (const f of page.items) chunk += `${csvRecord(f, await hostOf(f.hostId))}\r\n`;
            if (chunk) yield chunk;
            if (!page.next) return;
            page = await opts.fleet.findingsPage(filter, { sort: sort.key, descending: sort.descending, limit: PAGE, after: page.next });
          }
        }
        const day = (opts.now?.() ?? new Date()).toISOString().slice(0, 10);
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="vigil-findings-${day}.csv"`)
          .send(Readable.from(rows()));
      },
    });
  };
}
