using QueuedTraining.Contracts.Queue;
using QueuedTraining.Contracts.SageMaker;
using QueuedTraining.Core.Commands;

namespace QueuedTraining.Core.Teams;

/// <summary>
/// Settles the team of a job at submission: the team configured for its owner, or the team its tag names when the owner
/// may act for that team; otherwise <see cref="DefaultTeam"/>. A tag naming a team the owner may not act for is refused
/// rather than ignored: a silent fallback would run the job in a share its owner did not expect.
/// </summary>
public static class TeamResolver
{
    /// <summary>The team of a job whose owner has no team and whose request names none.</summary>
    public const string DefaultTeam = "default";

    /// <summary>The most characters of a team name.</summary>
    public const int MaxTeamNameLength = 128;

    /// <summary>The team <paramref name="principal"/> belongs to by configuration, or <see cref="DefaultTeam"/>.</summary>
    public static string TeamOf(QueueOptions options, string principal)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.PrincipalTeam.TryGetValue(principal, out var team) && !string.IsNullOrWhiteSpace(team) ? team : DefaultTeam;
    }

    /// <summary>
    /// The team of the job <paramref name="caller"/> submits with <paramref name="request"/>, or the reason its team tag
    /// is refused.
    /// </summary>
    internal static (string Team, FieldError? Error) Resolve(QueueOptions options, JobCaller caller, CreateTrainingJobRequest request)
    {
        var own = TeamOf(options, caller.Principal);
        var index = request.Tags?.FindIndex(t => t.Key == options.TeamTagKey) ?? -1;
        if (index < 0 || request.Tags![index].Value is not { Length: > 0 } named || named == own)
        {
            return (own, null);
        }

        var field = $"Tags[{index}].Value";
        if (named.Length > MaxTeamNameLength)
        {
            return (own, new FieldError(ProblemCodes.InvalidField, field, $"A team name is limited to {MaxTeamNameLength} characters."));
        }

        var member = options.Teams.TryGetValue(named, out var team) && team.Members.Contains(caller.Principal, StringComparer.Ordinal);
        return caller.IsOperator || member
            ? (named, null)
            : (own, new FieldError(ProblemCodes.TeamNotAllowed, field, $"'{caller.Principal}' may not submit jobs for team '{named}'; its team is '{own}'."));
    }
}
