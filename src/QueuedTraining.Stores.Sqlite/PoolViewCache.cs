using QueuedTraining.Contracts.Queue;
using QueuedTraining.Core.Jobs;

namespace QueuedTraining.Stores.Sqlite;

/// <summary>
/// Each pool's jobs that hold instances and the head of its waiting line, kept in memory and brought up to date by
/// this store's own commits. The scheduler reads both on every pass; with teams a pass reads a whole look-ahead of
/// waiting jobs, and walking SQLite's index and rows for them was most of what teams added to a pass's CPU. The store
/// is one process's (see the package README), so every change to the file passes through <see cref="Committed"/>,
/// which the write batcher calls after COMMIT and before any writer hears "done": a read that starts after a write
/// completed always sees it.
/// </summary>
/// <remarks>
/// A view is filled by a read of the database. A commit that lands while that read runs makes the read's answer
/// unsafe to keep (the commit's update may already have been applied to the old view, or may not be in the read),
/// so every commit to a pool bumps its generation and a read only fills the view if the generation did not move.
/// The read's answer is still returned: it is as fresh as any read running beside a commit.
/// </remarks>
internal sealed class PoolViewCache
{
    /// <summary>The most waiting jobs a read may ask for and still be served from memory.</summary>
    public const int MaxCachedLimit = 256;

    /// <summary>How many waiting jobs a view keeps at most; past that it forgets its tail.</summary>
    private const int MaxHead = 4 * MaxCachedLimit;

    private readonly Dictionary<string, PoolView> _pools = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>How many waiting jobs to read on a miss for a request of <paramref name="limit"/>: enough for the next requests.</summary>
    public static int ReadSizeFor(int limit) => Math.Min(MaxCachedLimit, Math.Max(limit * 2, 64));

    /// <summary>Up to <paramref name="limit"/> waiting jobs of the pool in queue order, or null when the view cannot say.</summary>
    public IReadOnlyList<QueuedJob>? TryGetWaiting(string pool, int limit, out long generation)
    {
        lock (_gate)
        {
            var view = ViewOf(pool);
            generation = view.Generation;
            return view.TryTakeWaiting(limit);
        }
    }

    /// <summary>Keeps <paramref name="waiting"/>, the first waiting jobs read with a limit of <paramref name="readSize"/>, unless the pool changed since <paramref name="generation"/>.</summary>
    public void FillWaiting(string pool, long generation, IReadOnlyList<QueuedJob> waiting, int readSize)
    {
        lock (_gate)
        {
            var view = ViewOf(pool);
            if (view.Generation == generation)
            {
                view.FillWaiting(waiting, complete: waiting.Count < readSize);
            }
        }
    }

    /// <summary>The pool's holding jobs, or null when the view has not been filled.</summary>
    public IReadOnlyList<QueuedJob>? TryGetHolding(string pool, out long generation)
    {
        lock (_gate)
        {
            var view = ViewOf(pool);
            generation = view.Generation;
            return view.Holding is null ? null : [.. view.Holding.Values];
        }
    }

    /// <summary>Keeps <paramref name="holding"/>, the pool's holding jobs as read, unless the pool changed since <paramref name="generation"/>.</summary>
    public void FillHolding(string pool, long generation, IReadOnlyList<QueuedJob> holding)
    {
        lock (_gate)
        {
            var view = ViewOf(pool);
            if (view.Generation == generation)
            {
                view.Holding = holding.ToDictionary(job => job.Name, StringComparer.Ordinal);
            }
        }
    }

    /// <summary>A commit turned <paramref name="before"/> (null for a new job) into <paramref name="after"/>.</summary>
    public void Committed(QueuedJob? before, QueuedJob after)
    {
        lock (_gate)
        {
            if (before is not null && before.InstanceType != after.InstanceType)
            {
                ViewOf(before.InstanceType).Forget(before.Name);
            }

            ViewOf(after.InstanceType).Apply(after);
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
        private bool _waitingFilled;

        // Every waiting job of the pool whose key sorts at or before this one is in the view; null when the view holds
        // them all.
        private string? _boundary;

        public long Generation { get; private set; }

        public Dictionary<string, QueuedJob>? Holding { get; set; }

        public List<QueuedJob>? TryTakeWaiting(int limit)
        {
            if (!_waitingFilled || limit > MaxCachedLimit || (_boundary is not null && _waitingByKey.Count < limit))
            {
                return null;
            }

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
            foreach (var job in waiting)
            {
                _waitingByKey[job.QueueKey] = job;
                _waitingKeyByName[job.Name] = job.QueueKey;
            }

            _boundary = complete || waiting.Count == 0 ? null : waiting[^1].QueueKey;
            _waitingFilled = true;
        }

        public void Apply(QueuedJob job)
        {
            Generation++;
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

            if (!_waitingFilled)
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

            if (job.State.IsWaiting() && (_boundary is null || string.CompareOrdinal(job.QueueKey, _boundary) <= 0))
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
            Generation++;
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
            _boundary = _waitingByKey.Keys.Last();
        }
    }
}
