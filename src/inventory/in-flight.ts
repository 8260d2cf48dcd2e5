/**
 * Runs `each` over `items` with at most `limit` calls in flight. Collectors that read
 * parts of many files (archives, executables) wait mostly on the thread pool; a few
 * reads in flight keep it busy where one at a time left it idle.
 */
export async function forEachInFlight<T>(items: readonly T[], limit: number, each: (item: T) => Promise<void>, signal?: AbortSignal): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length && !signal?.aborted) await each(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}
