namespace AuditTool.Web.Components.Pages.Audits;

/// <summary>A question or theme a finding may link to, with its figures in words ("50% positive (6 of 12 answers)").</summary>
public sealed record LinkOption(string Key, string Text, string Figure);

/// <summary>A checkbox of a <see cref="LinkPicker"/> changed: link or unlink one key.</summary>
public sealed record LinkChange(string Key, bool Linked);

/// <summary>A quote as the scrutineer edited it, with the evidence note it started from (if any).</summary>
public sealed record QuoteDraft(string Text, long? SourceReturnId, string? SourceQuestionKey);
