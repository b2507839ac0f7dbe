using AuditTool.Domain.Audits;
using AuditTool.Domain.Notices;
using AuditTool.Domain.Security;

namespace AuditTool.Tests.Notices;

/// <summary>The planner alone (a pure function): which reason keys a state of the database calls for.</summary>
public sealed class NoticePlannerTests
{
    private static readonly DateOnly Deadline = new(2027, 3, 20);
    private static readonly NoticeAudit Audit = new(7, "Audit", Deadline);
    private static readonly NoticeRecipient Ann = new(1, Role.Auditor, 10, "ann@example.org");
    private static readonly NoticeRecipient Bob = new(2, Role.Auditor, 10, "bob@example.org");
    private static readonly NoticeRecipient Manager = new(3, Role.Manager, 10, "manager@example.org");

    private static DateTimeOffset Day(int daysBefore) => new DateTimeOffset(Deadline.ToDateTime(new TimeOnly(12, 0)), TimeSpan.Zero).AddDays(-daysBefore);

    private static NoticeReturn Return(long id, long? auditor = null, string status = ReturnStatuses.NotStarted, long? amendment = null) =>
        new(id, Audit.Id, $"C-{id:000}", 10, auditor, status, status == ReturnStatuses.Returned ? "Please amend" : null, amendment);

    private static IReadOnlyList<string> Keys(IEnumerable<NoticeReturn> returns, DateTimeOffset now,
        Dictionary<(long, long), DateTimeOffset>? openings = null, IEnumerable<NoticeAction>? actions = null,
        Dictionary<long, DateTimeOffset>? lastActions = null, params NoticeRecipient[] recipients) =>
        NoticePlanner.Plan(new NoticeSnapshot([Audit], returns.ToList(), (actions ?? []).ToList(),
                recipients.Length == 0 ? [Ann, Bob, Manager] : recipients, new Dictionary<long, string> { [10] = "Police" },
                openings ?? new Dictionary<(long, long), DateTimeOffset>(), lastActions ?? new Dictionary<long, DateTimeOffset>()), NoticeSettings.Default, now)
            .Select(m => m.ReasonKey).Order(StringComparer.Ordinal).ToList();

    [Fact]
    public void ANamedAuditor_IsTheOnlyOneToldOfTheirReturn_OtherwiseEveryAuditorOfTheAgency()
    {
        var keys = Keys([Return(1), Return(2, auditor: Bob.UserId)], Day(10));

        Assert.Equal(["opening:audit-7:user-1", "opening:audit-7:user-2"], keys);
        var toAnn = NoticePlanner.Plan(new NoticeSnapshot([Audit], [Return(1), Return(2, auditor: Bob.UserId)], [], [Ann, Bob], new Dictionary<long, string>(),
            new Dictionary<(long, long), DateTimeOffset>(), new Dictionary<long, DateTimeOffset>()),
            NoticeSettings.Default, Day(10)).Single(m => m.RecipientUserId == Ann.UserId);
        Assert.Contains("C-001", toAnn.TextBody);
        Assert.DoesNotContain("C-002", toAnn.TextBody);
    }

    [Fact]
    public void ANamedAuditorWhoIsNoLongerActive_LeavesTheReturnToTheAgencysAuditors()
    {
        Assert.Equal(["opening:audit-7:user-1"], Keys([Return(1, auditor: 99)], Day(10), recipients: [Ann]));
    }

    [Fact]
    public void OnlyTheLatestReminderThatHasCome_IsDue_AndNoneFromBeforeThePersonWasTold()
    {
        var openedLongAgo = new Dictionary<(long, long), DateTimeOffset> { [(7, 1)] = Day(30) };

        Assert.Empty(Keys([Return(1)], Day(8), openedLongAgo, recipients: [Ann]));
        Assert.Equal(["reminder:audit-7:user-1:days-7"], Keys([Return(1)], Day(7), openedLongAgo, recipients: [Ann]));
        Assert.Equal(["reminder:audit-7:user-1:days-7"], Keys([Return(1)], Day(2), openedLongAgo, recipients: [Ann]));
        Assert.Equal(["reminder:audit-7:user-1:days-1"], Keys([Return(1)], Day(1), openedLongAgo, recipients: [Ann]));
        Assert.Equal(["reminder:audit-7:user-1:days-1"], Keys([Return(1)], Day(0), openedLongAgo, recipients: [Ann]));
        Assert.Empty(Keys([Return(1)], Day(-1), openedLongAgo, recipients: [Ann]));

        var openedOnDayFive = new Dictionary<(long, long), DateTimeOffset> { [(7, 1)] = Day(5) };
        Assert.Empty(Keys([Return(1)], Day(3), openedOnDayFive, recipients: [Ann]));
        Assert.Equal(["reminder:audit-7:user-1:days-1"], Keys([Return(1)], Day(1), openedOnDayFive, recipients: [Ann]));
    }

    [Fact]
    public void SubmittedReturnsAreNotInTheSnapshot_SoNothingIsDue_AndNoAddressMeansNoMessage()
    {
        Assert.Empty(Keys([], Day(1)));
        Assert.Empty(Keys([Return(1)], Day(1), recipients: [Ann with { Email = null }]));
    }

    [Fact]
    public void AfterTheDeadline_OnlyTheManagersAreTold_OncePerAuditAndAgency()
    {
        Assert.Equal(["overdue-returns:audit-7:agency-10:user-3"], Keys([Return(1), Return(2)], Day(-1)));
        Assert.Equal(["overdue-returns:audit-7:agency-10:user-3"], Keys([Return(1)], Day(-40)));
    }

    [Fact]
    public void EverySendingBackForAmendment_IsItsOwnReason()
    {
        var opened = new Dictionary<(long, long), DateTimeOffset> { [(7, 1)] = Day(30), [(7, 2)] = Day(30) };

        Assert.Equal(["amendment:return-1:event-55:user-2"],
            Keys([Return(1, auditor: Bob.UserId, status: ReturnStatuses.Returned, amendment: 55)], Day(10), opened));
        Assert.Empty(Keys([Return(1, auditor: Bob.UserId, status: ReturnStatuses.Returned)], Day(10), opened));
    }

    [Fact]
    public void OverdueActions_AtMostOnceInSevenDays()
    {
        var action = new NoticeAction(5, 7, "Audit", "Review", 10, Deadline, "open");

        Assert.Empty(Keys([], Day(0), actions: [action]));
        Assert.Equal(["overdue-actions:agency-10:user-3:2027-03-21"], Keys([], Day(-1), actions: [action]));
        Assert.Empty(Keys([], Day(-7), actions: [action], lastActions: new() { [3] = Day(-1) }));
        Assert.Equal(["overdue-actions:agency-10:user-3:2027-03-28"], Keys([], Day(-8), actions: [action], lastActions: new() { [3] = Day(-1) }));
    }
}
