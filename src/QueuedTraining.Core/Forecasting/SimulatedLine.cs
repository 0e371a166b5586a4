using QueuedTraining.Core.Jobs;

namespace QueuedTraining.Core.Forecasting;

/// <summary>
/// The waiting jobs of a replay in queue order, cheap at any depth: the snapshot's list is read through a cursor and never
/// copied, jobs put back (preempted victims) wait in a sorted set, and only the front the planner looks at is a list.
/// Starting a job or putting one back therefore costs the front's length, not the queue's.
/// </summary>
internal sealed class SimulatedLine
{
    private static readonly Comparer<QueuedJob> ByQueueKey = Comparer<QueuedJob>.Create((a, b) => string.CompareOrdinal(a.QueueKey, b.QueueKey));

    private readonly IReadOnlyList<QueuedJob> _snapshot;
    private readonly SortedSet<QueuedJob> _returned = new(ByQueueKey);
    private readonly List<QueuedJob> _front = [];
    private int _cursor;

    /// <param name="snapshot">The pool's waiting jobs, in queue order.</param>
    public SimulatedLine(IReadOnlyList<QueuedJob> snapshot) => _snapshot = snapshot;

    /// <summary>How many jobs still wait.</summary>
    public int Count => _front.Count + (_snapshot.Count - _cursor) + _returned.Count;

    /// <summary>
    /// The first <paramref name="size"/> waiting jobs in queue order (more when an earlier call read more; fewer when
    /// fewer wait). The list is the line's own: read it before the next change.
    /// </summary>
    public IReadOnlyList<QueuedJob> Front(int size)
    {
        while (_front.Count < size)
        {
            var fromSnapshot = _cursor < _snapshot.Count ? _snapshot[_cursor] : null;
            var returned = _returned.Count > 0 ? _returned.Min : null;
            if (fromSnapshot is null && returned is null)
            {
                break;
            }

            if (returned is null || (fromSnapshot is not null && ByQueueKey.Compare(fromSnapshot, returned) <= 0))
            {
                _front.Add(fromSnapshot!);
                _cursor++;
            }
            else
            {
                _front.Add(returned);
                _returned.Remove(returned);
            }
        }

        return _front;
    }

    /// <summary>Takes a job the planner started off the line; started jobs are always in the front it was shown.</summary>
    public void Remove(QueuedJob job) => _front.Remove(job);

    /// <summary>Puts a preempted job back in its place in queue order.</summary>
    public void Return(QueuedJob job)
    {
        if (_front.Count > 0 && ByQueueKey.Compare(job, _front[^1]) < 0)
        {
            var at = _front.FindIndex(w => ByQueueKey.Compare(w, job) > 0);
            _front.Insert(at, job);
        }
        else
        {
            _returned.Add(job);
        }
    }
}
