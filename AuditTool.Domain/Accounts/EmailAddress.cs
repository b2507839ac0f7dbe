using System.Text.RegularExpressions;

namespace AuditTool.Domain.Accounts;

/// <summary>
/// An account's e-mail address: a plain <c>name@domain</c> (no display name, no comments), the domain with at least one
/// dot. Stricter than RFC 5322 on purpose: what an administrator types is either clearly an address or refused.
/// </summary>
public static partial class EmailAddress
{
    public const int MaxLength = 254;

    /// <summary>The address trimmed; null for blank (no address).</summary>
    public static string? Normalise(string? address) => string.IsNullOrWhiteSpace(address) ? null : address.Trim();

    /// <summary>The problem with an address in plain English, or null when it is an address (or blank: none).</summary>
    public static string? Check(string? address)
    {
        var value = Normalise(address);
        if (value is null)
        {
            return null;
        }

        var at = value.LastIndexOf('@');
        var local = at > 0 ? value[..at] : string.Empty;
        if (value.Length > MaxLength || !Pattern().IsMatch(value) || local.Length > 64 || local.StartsWith('.') ||
            local.EndsWith('.') || local.Contains("..", StringComparison.Ordinal))
        {
            return $"\"{Shorten(value)}\" is not an e-mail address: write it as name@example.org, with no spaces or display name.";
        }

        return null;
    }

    public static bool IsValid(string? address) => Normalise(address) is not null && Check(address) is null;

    private static string Shorten(string value) => value.Length <= 80 ? value : value[..77] + "...";

    [GeneratedRegex(@"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$")]
    private static partial Regex Pattern();
}
