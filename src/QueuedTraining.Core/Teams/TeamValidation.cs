using System.ComponentModel.DataAnnotations;

namespace QueuedTraining.Core.Teams;

/// <summary>
/// The rules team settings must keep, checked with the rest of <see cref="QueueOptions"/> at start-up and on every
/// reload: a quota names a configured pool, and the quotas of a pool fit its capacity, or a team's guarantee would be one
/// the pool cannot keep.
/// </summary>
internal static class TeamValidation
{
    public static IEnumerable<ValidationResult> Validate(QueueOptions options)
    {
        var member = nameof(QueueOptions.Teams);
        foreach (var (team, settings) in options.Teams)
        {
            if (settings is null)
            {
                continue;
            }

            if (!(settings.Weight > 0) || double.IsInfinity(settings.Weight))
            {
                yield return new ValidationResult($"Teams:{team}:Weight must be a positive number, not {settings.Weight}.", [member]);
            }

            if (settings.MaxPriority is < 0)
            {
                yield return new ValidationResult($"Teams:{team}:MaxPriority must not be negative, not {settings.MaxPriority}.", [member]);
            }

            foreach (var (pool, instances) in settings.Quota)
            {
                if (!options.Capacity.ContainsKey(pool))
                {
                    yield return new ValidationResult($"Teams:{team}:Quota names '{pool}', which has no Capacity.", [member]);
                }

                if (instances < 0)
                {
                    yield return new ValidationResult($"Teams:{team}:Quota of '{pool}' must not be negative, not {instances}.", [member]);
                }
            }

            foreach (var (pool, limit) in settings.BorrowLimit)
            {
                if (limit < 0)
                {
                    yield return new ValidationResult($"Teams:{team}:BorrowLimit of '{pool}' must not be negative, not {limit}.", [member]);
                }
            }

            foreach (var pool in settings.Lending.Keys.Concat(settings.BorrowLimit.Keys).Where(pool => !options.Capacity.ContainsKey(pool)))
            {
                yield return new ValidationResult($"Teams:{team} names '{pool}', which has no Capacity.", [member]);
            }
        }

        foreach (var (pool, capacity) in options.Capacity)
        {
            var quotas = options.Teams.Where(t => t.Value is not null && t.Value.Quota.ContainsKey(pool)).Select(t => (t.Key, Quota: t.Value.Quota[pool])).ToList();
            var sum = quotas.Sum(t => (long)t.Quota);
            if (sum > capacity)
            {
                var parts = string.Join(", ", quotas.Select(t => $"{t.Key} {t.Quota}"));
                yield return new ValidationResult($"The quotas of '{pool}' add up to {sum} ({parts}), more than its capacity of {capacity}.", [member]);
            }
        }

        foreach (var (principal, team) in options.PrincipalTeam)
        {
            if (string.IsNullOrWhiteSpace(team))
            {
                yield return new ValidationResult($"PrincipalTeam of '{principal}' must name a team.", [nameof(QueueOptions.PrincipalTeam)]);
            }
        }
    }
}
