using QueuedTraining.Contracts.Queue;
using QueuedTraining.Contracts.SageMaker;
using QueuedTraining.Core.Teams;

namespace QueuedTraining.Core.Commands;

/// <summary>
/// Settles the team of a job at submission: the team its tag names when the owner may act for that team, else the team
/// configured for its owner, else <see cref="TeamResolver.DefaultTeam"/>. A tag naming a team the owner may not act for
/// is refused rather than ignored: a silent fallback would run the job in a share its owner did not expect. With no teams
/// configured the tag is not read at all: a queue put in front of existing launchers must accept the cost-allocation
/// tags they already send, and a team means nothing to a queue that plans by priority alone.
/// </summary>
internal static class TeamAssignment
{
    /// <summary>
    /// The team of the job <paramref name="caller"/> submits with <paramref name="request"/>, or the reason its team tag
    /// is refused.
    /// </summary>
    internal static (string Team, FieldError? Error) Resolve(QueueOptions options, JobCaller caller, CreateTrainingJobRequest request)
    {
        var own = TeamResolver.TeamOf(options, caller.Principal);
        if (!options.HasTeams)
        {
            return (own, null);
        }

        var index = request.Tags?.FindIndex(t => t.Key == options.TeamTagKey) ?? -1;
        if (index < 0 || request.Tags![index].Value is not { Length: > 0 } named || named == own)
        {
            return (own, null);
        }

        var field = $"Tags[{index}].Value";
        if (named.Length > TeamResolver.MaxTeamNameLength)
        {
            return (own, new FieldError(ProblemCodes.InvalidField, field, $"A team name is limited to {TeamResolver.MaxTeamNameLength} characters."));
        }

        var member = options.Teams.TryGetValue(named, out var team) && team.Members.Contains(caller.Principal, StringComparer.Ordinal);
        return caller.IsOperator || member
            ? (named, null)
            : (own, new FieldError(ProblemCodes.TeamNotAllowed, field, $"'{caller.Principal}' may not submit jobs for team '{named}'; its team is '{own}'."));
    }
}
