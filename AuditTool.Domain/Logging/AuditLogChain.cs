using System.Security.Cryptography;
using System.Text;

namespace AuditTool.Domain.Logging;

/// <summary>A log line as stored, with the text of its time exactly as written: what its hash is computed over.</summary>
public sealed record ChainedLine(
    long Id,
    string AtUtc,
    long? UserId,
    string UserName,
    string Action,
    string Entity,
    string? EntityId,
    string? OldValues,
    string? NewValues,
    long? AuditId,
    string? CaseRef,
    string? AgencyKey,
    bool CaseContent,
    string? PreviousHash,
    string? Hash);

/// <summary>What a check of the chain found.</summary>
public sealed record ChainCheck(bool Intact, long Entries, long? FirstBrokenId, string Message, long? LastId, string? LastHash);

/// <summary>
/// The audit log is tamper-evident: each line carries a SHA-256 hash over its own fields and the hash of the line before
/// it, so a line changed, deleted or slipped in out of order directly in the database breaks the chain at that point.
/// </summary>
public static class AuditLogChain
{
    /// <summary>The hash the chain starts from (the line before the first).</summary>
    public const string Origin = "0000000000000000000000000000000000000000000000000000000000000000";

    public static string Hash(string previousHash, ChainedLine line)
    {
        var text = new StringBuilder(256).Append(previousHash);
        foreach (var field in new[]
                 {
                     line.AtUtc, line.UserId?.ToString(System.Globalization.CultureInfo.InvariantCulture), line.UserName, line.Action,
                     line.Entity, line.EntityId, line.OldValues, line.NewValues,
                     line.AuditId?.ToString(System.Globalization.CultureInfo.InvariantCulture), line.CaseRef, line.AgencyKey,
                     line.CaseContent ? "1" : "0",
                 })
        {
            // Each field with its length (or a mark for none): no two different lines can read as the same text.
            text.Append('|');
            text.Append(field is null ? "-" : $"{field.Length}:{field}");
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    /// <summary>
    /// Checks lines in the order they were written. <paramref name="lastVerified"/> (the last line of an earlier check)
    /// must still be there with the same hash: lines taken off the end are noticed too.
    /// </summary>
    public static ChainCheck Verify(IEnumerable<ChainedLine> lines, (long Id, string Hash)? lastVerified = null)
    {
        var previous = Origin;
        long count = 0;
        long? lastId = null;
        var sawLastVerified = lastVerified is null;
        foreach (var line in lines)
        {
            count++;
            if (line.PreviousHash != previous)
            {
                return Broken(count, line.Id, lastId is null
                    ? $"Entry {line.Id} should be the first of the log but does not start the chain: entries before it were deleted, or it was inserted."
                    : $"Entry {line.Id} does not follow entry {lastId}: an entry between them was deleted, or this one was inserted out of order.");
            }

            if (line.Hash != Hash(previous, line))
            {
                return Broken(count, line.Id, $"Entry {line.Id} ({line.AtUtc}, {line.UserName}, {line.Action} {line.Entity}) does not match its hash: it was changed after it was written.");
            }

            if (lastVerified is { } v && line.Id == v.Id)
            {
                if (line.Hash != v.Hash)
                {
                    return Broken(count, line.Id, $"Entry {line.Id} is not the entry an earlier check saw there.");
                }

                sawLastVerified = true;
            }

            previous = line.Hash!;
            lastId = line.Id;
        }

        if (!sawLastVerified)
        {
            return Broken(count, lastVerified!.Value.Id,
                $"Entry {lastVerified.Value.Id}, the last one an earlier check saw, is gone: entries were deleted from the end of the log.");
        }

        return new ChainCheck(true, count, null, $"All {count:N0} entries are intact and in order.", lastId, lastId is null ? null : previous);
    }

    private static ChainCheck Broken(long count, long id, string message) => new(false, count, id, message, null, null);
}
