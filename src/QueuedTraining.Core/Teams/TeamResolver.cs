namespace QueuedTraining.Core.Teams;

/// <summary>
/// The team a principal belongs to by configuration. Submission settles a job's team from it and the job's team tag
/// (see <c>JobCommands</c>).
/// </summary>
public static class TeamResolver
{
    /// <summary>The team of a job whose owner has no team and whose request names none.</summary>
    public const string DefaultTeam = Jobs.QueuedJob.DefaultTeam;

    /// <summary>The most characters of a team name.</summary>
    public const int MaxTeamNameLength = 128;

    /// <summary>The team <paramref name="principal"/> belongs to by configuration, or <see cref="DefaultTeam"/>.</summary>
    public static string TeamOf(QueueOptions options, string principal)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.PrincipalTeam.TryGetValue(principal, out var team) && !string.IsNullOrWhiteSpace(team) ? team : DefaultTeam;
    }
}
