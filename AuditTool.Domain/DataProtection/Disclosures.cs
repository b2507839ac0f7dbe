using AuditTool.Domain.Security;

namespace AuditTool.Domain.DataProtection;

public static class DisclosureKinds
{
    /// <summary>A return of another agency seen after the reveal (or by a scrutineer moderating).</summary>
    public const string Reveal = "reveal";

    /// <summary>An export that carries case-level data.</summary>
    public const string Export = "export";
}

/// <summary>Which case (and whose return) was shown or exported.</summary>
public sealed record DisclosureSubject(long? AuditId, string CaseRef, string? AgencyKey);

/// <summary>One line of the disclosure record: who saw or exported which case, when, and how.</summary>
public sealed record Disclosure(long Id, DateTimeOffset AtUtc, string UserName, string Kind, long? AuditId, string? AuditTitle,
    string CaseRef, string? Agency, string What);

public interface IDisclosureLog
{
    /// <summary>Records the disclosures (and one audit log line each) in one transaction.</summary>
    Task RecordAsync(Actor actor, IReadOnlyList<DisclosureSubject> subjects, string kind, string what);

    Task<IReadOnlyList<Disclosure>> GetByCaseAsync(string caseRef);
}

/// <summary>"Who saw this child's record": the disclosure record of a case, for scrutineers.</summary>
public sealed class DisclosureService(IDisclosureLog log, AccessPolicy access)
{
    public async Task<IReadOnlyList<Disclosure>> GetByCaseAsync(Actor actor, string? caseRef)
    {
        await access.RequireAsync(actor, "disclosures.by-case", Role.Scrutineer);
        if (string.IsNullOrWhiteSpace(caseRef))
        {
            throw new DomainValidationException("Give the case reference whose disclosure record you want.");
        }

        return await log.GetByCaseAsync(caseRef.Trim());
    }
}
