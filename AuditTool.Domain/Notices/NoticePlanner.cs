using System.Globalization;
using AuditTool.Domain.Audits;
using AuditTool.Domain.Security;

namespace AuditTool.Domain.Notices;

/// <summary>
/// Decides, from what the database holds now, every message that should exist, each with the reason it is sent (its
/// reason key). A pure function: the same state gives the same keys, so a pass run twice, on two servers or after a
/// restart writes nothing new (the outbox keeps one row per key). Dates are UTC days.
/// <list type="bullet">
/// <item>opening: to each auditor of an open audit with returns for them never submitted, once per audit and person,
/// up to the deadline: their cases and the deadline.</item>
/// <item>reminder: on each configured day before the deadline (up to the deadline day itself), once per audit, person
/// and day, listing their unsubmitted cases. Only the latest reminder day that has come is sent (a server that was down
/// on the 7-day mark and up again on day 3 sends that one, late; never two at once), and none that fell on or before
/// the day the person was first told of the audit (the opening notice said it already).</item>
/// <item>overdue-returns: after the deadline, once per audit, agency and manager: the agency's returns still outstanding.</item>
/// <item>amendment: to the auditors of a return sent back for amendment, once per sending back: the case and the comment.</item>
/// <item>overdue-actions: to the managers of an agency with actions past due, at most once in seven days per manager.</item>
/// </list>
/// A return's auditors are its named auditor, or every active auditor of its agency when none is named. Accounts without
/// an address, disabled accounts and other roles get nothing.
/// </summary>
public static class NoticePlanner
{
    public static readonly TimeSpan OverdueActionsInterval = TimeSpan.FromDays(7);

    public static IReadOnlyList<NewOutboxMessage> Plan(NoticeSnapshot snapshot, NoticeSettings settings, DateTimeOffset now)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var messages = new List<NewOutboxMessage>();
        var audits = snapshot.OpenAudits.ToDictionary(a => a.Id);
        var auditors = snapshot.Recipients.Where(r => r.Role == Role.Auditor).ToList();
        var managers = snapshot.Recipients.Where(r => r.Role == Role.Manager).ToList();
        var returns = snapshot.OutstandingReturns
            .Where(r => audits.ContainsKey(r.AuditId))
            .OrderBy(r => r.CaseRef, StringComparer.Ordinal)
            .ToList();

        foreach (var group in returns
                     .SelectMany(r => AuditorsOf(r, auditors).Select(u => (Return: r, User: u)))
                     .GroupBy(x => (x.Return.AuditId, x.User.UserId)))
        {
            var audit = audits[group.Key.AuditId];
            var user = group.First().User;
            if (user.Email is null || audit.Deadline is { } passed && today > passed)
            {
                continue;
            }

            var theirs = group.Select(x => x.Return).ToList();
            var agency = AgencyName(snapshot, user.AgencyId);
            // The day the person was told of the audit by its opening notice; MinValue when they never were (their only
            // outstanding returns came back for amendment: that notice told them, and the reminders apply as usual).
            var toldOn = DateOnly.MinValue;
            var neverSubmitted = theirs.Where(r => r.Status != ReturnStatuses.Returned).ToList();
            if (snapshot.OpeningsSent.TryGetValue((audit.Id, user.UserId), out var openingSent))
            {
                toldOn = DateOnly.FromDateTime(openingSent.UtcDateTime);
            }
            else if (neverSubmitted.Count > 0)
            {
                toldOn = today;
                messages.Add(Message($"opening:audit-{Id(audit.Id)}:user-{Id(user.UserId)}", NoticeKinds.Opening, audit.Id,
                    user.AgencyId, user, NoticeComposer.Opening(audit, agency, neverSubmitted), settings));
            }

            if (audit.Deadline is not { } deadline)
            {
                continue;
            }

            var daysLeft = deadline.DayNumber - today.DayNumber;
            var come = settings.DaysBefore.Where(d => daysLeft <= d && deadline.AddDays(-d) > toldOn).ToList();
            if (come.Count > 0)
            {
                var day = come.Min();
                messages.Add(Message($"reminder:audit-{Id(audit.Id)}:user-{Id(user.UserId)}:days-{Id(day)}", NoticeKinds.Reminder,
                    audit.Id, user.AgencyId, user, NoticeComposer.Reminder(audit, agency, theirs, today), settings));
            }
        }

        foreach (var group in returns
                     .Where(r => audits[r.AuditId].Deadline is { } d && today > d)
                     .GroupBy(r => (r.AuditId, r.AgencyId)))
        {
            var audit = audits[group.Key.AuditId];
            var content = NoticeComposer.OverdueReturns(audit, AgencyName(snapshot, group.Key.AgencyId), group.ToList());
            foreach (var manager in managers.Where(m => m.AgencyId == group.Key.AgencyId && m.Email is not null))
            {
                messages.Add(Message($"overdue-returns:audit-{Id(audit.Id)}:agency-{Id(group.Key.AgencyId)}:user-{Id(manager.UserId)}",
                    NoticeKinds.OverdueReturns, audit.Id, group.Key.AgencyId, manager, content, settings));
            }
        }

        foreach (var ret in returns.Where(r => r.Status == ReturnStatuses.Returned && r.AmendmentNumber is not null))
        {
            var audit = audits[ret.AuditId];
            var content = NoticeComposer.Amendment(audit, ret);
            foreach (var user in AuditorsOf(ret, auditors).Where(u => u.Email is not null))
            {
                messages.Add(Message($"amendment:return-{Id(ret.Id)}:event-{Id(ret.AmendmentNumber!.Value)}:user-{Id(user.UserId)}",
                    NoticeKinds.Amendment, audit.Id, ret.AgencyId, user, content, settings));
            }
        }

        foreach (var group in snapshot.OverdueActions
                     .Where(a => a.DueDate < today)
                     .OrderBy(a => a.DueDate).ThenBy(a => a.Id)
                     .GroupBy(a => a.OwnerAgencyId))
        {
            var content = NoticeComposer.OverdueActions(AgencyName(snapshot, group.Key), group.ToList());
            foreach (var manager in managers.Where(m => m.AgencyId == group.Key && m.Email is not null))
            {
                if (snapshot.LastOverdueActionsSent.TryGetValue(manager.UserId, out var last) && now - last < OverdueActionsInterval)
                {
                    continue;
                }

                messages.Add(Message(
                    $"overdue-actions:agency-{Id(group.Key)}:user-{Id(manager.UserId)}:{today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}",
                    NoticeKinds.OverdueActions, null, group.Key, manager, content, settings));
            }
        }

        PlanConcerns(snapshot, settings, now, messages);
        return messages;
    }

    /// <summary>
    /// concern-raised: to the safeguarding leads of the case's agencies and every scrutineer, once per concern and
    /// person, while the concern is not closed. concern-reminder: to the same people, once, when the concern is still not
    /// acknowledged after the set working hours. Neither carries the description: the audit, the case and a link.
    /// </summary>
    private static void PlanConcerns(NoticeSnapshot snapshot, NoticeSettings settings, DateTimeOffset now, List<NewOutboxMessage> messages)
    {
        if (snapshot.Concerns is not { } concerns)
        {
            return;
        }

        var escalation = settings.ConcernsOrDefault;
        foreach (var concern in concerns.Open.Where(c => c.State != AuditTool.Domain.Concerns.ConcernStates.Closed).OrderBy(c => c.Id))
        {
            var to = concerns.Leads.Where(l => l.AgencyId is { } a && concern.CaseAgencyIds.Contains(a))
                .Concat(concerns.Scrutineers)
                .Where(r => r.Email is not null)
                .DistinctBy(r => r.UserId)
                .ToList();
            var raised = NoticeComposer.ConcernRaised(concern);
            foreach (var person in to)
            {
                messages.Add(ConcernMessage($"concern-raised:concern-{Id(concern.Id)}:user-{Id(person.UserId)}", NoticeKinds.ConcernRaised,
                    concern, person, raised, settings));
            }

            if (concern.State == AuditTool.Domain.Concerns.ConcernStates.Raised &&
                now >= escalation.Calendar.AddWorkingHours(concern.RaisedUtc, escalation.EscalateAfterWorkingHours))
            {
                var escalated = NoticeComposer.ConcernEscalated(concern, escalation.EscalateAfterWorkingHours);
                foreach (var person in to)
                {
                    messages.Add(ConcernMessage($"concern-reminder:concern-{Id(concern.Id)}:user-{Id(person.UserId)}", NoticeKinds.ConcernEscalated,
                        concern, person, escalated, settings));
                }
            }
        }
    }

    private static NewOutboxMessage ConcernMessage(string reasonKey, string kind, NoticeConcern concern, ConcernRecipient to, NoticeContent content,
        NoticeSettings settings) =>
        new(reasonKey, kind, concern.AuditId, to.AgencyId, to.UserId, to.Email!, content.Subject,
            NoticeComposer.Text(content, settings.PublicUrl), NoticeComposer.Html(content, settings.PublicUrl));

    /// <summary>The named auditor when they are an active auditor of the return's agency; otherwise all of the agency's.</summary>
    public static IEnumerable<NoticeRecipient> AuditorsOf(NoticeReturn ret, IReadOnlyList<NoticeRecipient> auditors)
    {
        var ofAgency = auditors.Where(a => a.AgencyId == ret.AgencyId).ToList();
        var named = ofAgency.FirstOrDefault(a => a.UserId == ret.AuditorUserId);
        return named is null ? ofAgency : [named];
    }

    public static NewOutboxMessage Message(string reasonKey, string kind, long? auditId, long? agencyId, NoticeRecipient to,
        NoticeContent content, NoticeSettings settings) =>
        new(reasonKey, kind, auditId, agencyId, to.UserId, to.Email!, content.Subject,
            NoticeComposer.Text(content, settings.PublicUrl), NoticeComposer.Html(content, settings.PublicUrl));

    private static string AgencyName(NoticeSnapshot snapshot, long agencyId) =>
        snapshot.AgencyNames.TryGetValue(agencyId, out var name) ? name : "Your agency";

    private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);
}
