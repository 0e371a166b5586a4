using QueuedTraining.Contracts.Queue;
using QueuedTraining.Core.Jobs;

namespace QueuedTraining.Stores.Sqlite;

/// <summary>
/// Each pool's jobs that hold instances and the head of its waiting line, kept in memory and brought up to date by
/// this store's own commits. The scheduler reads both on every pass; with teams a pass reads a whole look-ahead of
/// waiting jobs, and walking SQLite's index and rows for them was most of what teams added to a pass's CPU.
/// </summary>
/// <remarks>
/// Every method is called while the writer's commit lock is held: <see cref="Committed"/> by the batcher after COMMIT
/// and before any writer hears "done", the reads while they borrow the idle writer session. So no commit runs while a
/// view is read or filled, and a read that starts after a write completed always sees it. Writes by another connection
/// to the same file (a second store, the sqlite3 shell) are caught by the writer connection's <c>data_version</c>, which
/// moves only when another connection commits: <see cref="Validate"/> then forgets every view.
/// </remarks>
internal sealed class PoolViewCache
{
    /// <summary>The most waiting jobs a read may ask for and still be served from memory.</summary>
    public const int MaxCachedLimit = 256;

    /// <summary>How many waiting jobs a view keeps at most; past that it forgets its tail.</summary>
    private const int MaxHead = 4 * MaxCachedLimit;

    private readonly Dictionary<string, PoolView> _pools = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private long _dataVersion = -1;

    /// <summary>
    /// How many waiting jobs a view keeps ahead for requests of <paramref name="limit"/>: twice as many, so that the
    /// starts of the next passes are served from memory while the view is topped up a few jobs at a time.
    /// </summary>
    public static int KeepAheadFor(int limit) => Math.Min(MaxCachedLimit, Math.Max(limit * 2, 64));

    /// <summary>
    /// Forgets every view when <paramref name="dataVersion"/>, the writer connection's <c>PRAGMA data_version</c>, moved
    /// since the last call: another connection wrote to the file.
    /// </summary>
    public void Validate(long dataVersion)
    {
        lock (_gate)
        {
            if (dataVersion != _dataVersion)
            {
                _pools.Clear();
                _dataVersion = dataVersion;
            }
        }
    }

    /// <summary>
    /// Up to <paramref name="limit"/> waiting jobs of the pool in queue order. A view not yet filled is filled with
    /// <see cref="KeepAheadFor"/> jobs; one that has fallen below that is topped up from where it ends, so that the cost of
    /// reading new jobs is spread over the passes that start them rather than paid all at once. <paramref name="read"/>
    /// reads up to the given number of waiting jobs after the given queue key (null: from the start) from the file.
    /// </summary>
    public List<QueuedJob> TakeWaiting(string pool, int limit, Func<string?, int, List<QueuedJob>> read)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, MaxCachedLimit);
        var keep = KeepAheadFor(limit);
        lock (_gate)
        {
            var view = ViewOf(pool);
            if (!view.WaitingFilled)
            {
                var first = read(null, keep);
                view.FillWaiting(first, complete: first.Count < keep);
            }
            else if (view.Boundary is { } boundary && view.WaitingCount < keep)
            {
                // Rounded up to a power of two: each distinct LIMIT is another prepared statement.
                var more = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)(keep - view.WaitingCount));
                var next = read(boundary, more);
                view.ExtendWaiting(next, complete: next.Count < more);
            }

            return view.TakeWaiting(limit);
        }
    }

    /// <summary>The pool's holding jobs; <paramref name="read"/> reads them from the file when the view has not been filled.</summary>
    public List<QueuedJob> TakeHolding(string pool, Func<List<QueuedJob>> read)
    {
        lock (_gate)
        {
            var view = ViewOf(pool);
            view.Holding ??= read().ToDictionary(job => job.Name, StringComparer.Ordinal);
            return [.. view.Holding.Values];
        }
    }

    /// <summary>A commit turned <paramref name="before"/> (null for a new job) into <paramref name="after"/>.</summary>
    public void Committed(QueuedJob? before, QueuedJob after)
    {
        lock (_gate)
        {
            try
            {
                if (before is not null && before.InstanceType != after.InstanceType)
                {
                    ViewOf(before.InstanceType).Forget(before.Name);
                }

                ViewOf(after.InstanceType).Apply(after);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // A view that missed a change must not answer again: forget them all, the next reads fill them anew.
                _pools.Clear();
            }
        }
    }

    /// <summary>Forgets every view: a commit changed rows without saying which (a bulk delete).</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _pools.Clear();
        }
    }

    private PoolView ViewOf(string pool)
    {
        if (!_pools.TryGetValue(pool, out var view))
        {
            view = new PoolView();
            _pools[pool] = view;
        }

        return view;
    }

    /// <summary>One pool: its holding jobs by name, and the first of its waiting jobs by queue key.</summary>
    private sealed class PoolView
    {
        private readonly SortedDictionary<string, QueuedJob> _waitingByKey = new(StringComparer.Ordinal);
        private readonly Dictionary<string, string> _waitingKeyByName = new(StringComparer.Ordinal);

        public Dictionary<string, QueuedJob>? Holding { get; set; }

        public bool WaitingFilled { get; private set; }

        public int WaitingCount => _waitingByKey.Count;

        /// <summary>Every waiting job whose key sorts at or before this one is in the view; null when it holds them all.</summary>
        public string? Boundary { get; private set; }

        public List<QueuedJob> TakeWaiting(int limit)
        {
            var jobs = new List<QueuedJob>(Math.Min(limit, _waitingByKey.Count));
            foreach (var job in _waitingByKey.Values)
            {
                if (jobs.Count == limit)
                {
                    break;
                }

                jobs.Add(job);
            }

            return jobs;
        }

        public void FillWaiting(IReadOnlyList<QueuedJob> waiting, bool complete)
        {
            _waitingByKey.Clear();
            _waitingKeyByName.Clear();
            WaitingFilled = true;
            Boundary = string.Empty;
            ExtendWaiting(waiting, complete);
        }

        /// <summary>Adds <paramref name="waiting"/>, the next waiting jobs after <see cref="Boundary"/> in queue order.</summary>
        public void ExtendWaiting(IReadOnlyList<QueuedJob> waiting, bool complete)
        {
            foreach (var job in waiting)
            {
                if (!_waitingKeyByName.ContainsKey(job.Name))
                {
                    _waitingByKey[job.QueueKey] = job;
                    _waitingKeyByName[job.Name] = job.QueueKey;
                }
            }

            Boundary = complete ? null : waiting.Count > 0 ? waiting[^1].QueueKey : Boundary;
        }

        public void Apply(QueuedJob job)
        {
            if (Holding is not null)
            {
                if (job.State.HoldsCapacity())
                {
                    if (!Holding.TryGetValue(job.Name, out var held) || held.Version < job.Version)
                    {
                        Holding[job.Name] = job;
                    }
                }
                else
                {
                    Holding.Remove(job.Name);
                }
            }

            if (!WaitingFilled)
            {
                return;
            }

            if (_waitingKeyByName.TryGetValue(job.Name, out var key))
            {
                if (_waitingByKey[key].Version >= job.Version)
                {
                    return;
                }

                _waitingByKey.Remove(key);
                _waitingKeyByName.Remove(job.Name);
            }

            if (job.State.IsWaiting() && (Boundary is null || string.CompareOrdinal(job.QueueKey, Boundary) <= 0))
            {
                _waitingByKey[job.QueueKey] = job;
                _waitingKeyByName[job.Name] = job.QueueKey;
                if (_waitingByKey.Count > MaxHead)
                {
                    ForgetTail();
                }
            }
        }

        public void Forget(string name)
        {
            Holding?.Remove(name);
            if (_waitingKeyByName.Remove(name, out var key))
            {
                _waitingByKey.Remove(key);
            }
        }

        /// <summary>Drops the last waiting job; the view then covers the keys up to the new last one.</summary>
        private void ForgetTail()
        {
            var last = _waitingByKey.Last();
            _waitingByKey.Remove(last.Key);
            _waitingKeyByName.Remove(last.Value.Name);
            Boundary = _waitingByKey.Keys.Last();
        }
    }
}
