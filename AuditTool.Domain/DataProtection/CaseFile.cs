using System.Text.Json;
using System.Text.RegularExpressions;
using AuditTool.Domain.Security;

namespace AuditTool.Domain.DataProtection;

/// <summary>One thing the tool holds about a case reference: where it is, and what it says.</summary>
public sealed record CaseFileItem(
    string Kind,
    long? AuditId,
    string? AuditTitle,
    string? Agency,
    string Where,
    string? Text,
    DateTimeOffset? AtUtc);

/// <summary>Everything held about one case reference, across audits (a subject access request).</summary>
public sealed record CaseFile(string CaseRef, DateTimeOffset MadeUtc, string MadeBy, IReadOnlyList<CaseFileItem> Items)
{
    public const string Format = "audittool.case-file/v1";

    public static class Kinds
    {
        public const string Case = "case";
        public const string Cohort = "cohort row";
        public const string Return = "return";
        public const string Answer = "answer";
        public const string Evidence = "evidence note";
        public const string Moderation = "moderation";
        public const string Quote = "finding quote";
        public const string Concern = "safeguarding concern";
        public const string Action = "action naming it";
        public const string Finding = "finding naming it";
        public const string Log = "audit log entry";
        public const string Disclosure = "disclosure";
        public const string Hold = "legal hold";
    }

    /// <summary>The file for the data protection officer: one JSON document.</summary>
    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(new
    {
        format = Format,
        caseRef = CaseRef,
        madeUtc = MadeUtc,
        madeBy = MadeBy,
        note = "Everything AuditTool holds about this case reference, safeguarding concerns included, and nothing about any other case.",
        items = Items.Select(i => new { kind = i.Kind, auditId = i.AuditId, audit = i.AuditTitle, agency = i.Agency, where = i.Where, text = i.Text, atUtc = i.AtUtc }),
    }, new JsonSerializerOptions { WriteIndented = true });

    /// <summary>True when <paramref name="text"/> names <paramref name="caseRef"/> as a whole reference (C-001, not C-0012).</summary>
    public static bool Names(string? text, string caseRef) =>
        text is not null && Regex.IsMatch(text, $@"(?<![\p{{L}}\p{{N}}_-]){Regex.Escape(caseRef)}(?![\p{{L}}\p{{N}}_-])", RegexOptions.CultureInvariant);
}

public interface ICaseFileSource
{
    /// <summary>Every item held about exactly this case reference; nothing about any other case.</summary>
    Task<IReadOnlyList<CaseFileItem>> FindAsync(string caseRef);
}

/// <summary>Subject access: scrutineers find what is held about a case reference and export it as one file.</summary>
public sealed class CaseFileService(ICaseFileSource source, IDisclosureLog disclosures, AccessPolicy access, TimeProvider clock)
{
    public const int MaxRefLength = 100;

    public async Task<CaseFile> FindAsync(Actor actor, string? caseRef)
    {
        await access.RequireAsync(actor, "case-file.find", Role.Scrutineer);
        caseRef = caseRef?.Trim();
        if (string.IsNullOrEmpty(caseRef) || caseRef.Length > MaxRefLength)
        {
            throw new DomainValidationException("Give the case reference to look for, as it is written in the audit (for example C-0042).");
        }

        return new CaseFile(caseRef, clock.GetUtcNow(), actor.UserName, await source.FindAsync(caseRef));
    }

    /// <summary>The file, recorded in the disclosure record (it holds case-level data).</summary>
    public async Task<CaseFile> ExportAsync(Actor actor, string? caseRef)
    {
        var file = await FindAsync(actor, caseRef);
        var audits = file.Items.Select(i => i.AuditId).Distinct().ToList();
        await disclosures.RecordAsync(actor, audits.Select(a => new DisclosureSubject(a, file.CaseRef, null)).ToList(),
            DisclosureKinds.Export, $"case file (subject access) of {file.CaseRef}, {file.Items.Count} items");
        return file;
    }
}
