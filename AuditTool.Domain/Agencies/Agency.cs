using System.Text.RegularExpressions;

namespace AuditTool.Domain.Agencies;

public sealed partial class Agency
{
    public const int MaxNameLength = 200;

    private Agency(long id, string key, string name, string kind)
    {
        Id = id;
        Key = key;
        Name = name;
        Kind = kind;
    }

    public long Id { get; private set; }

    /// <summary>Short stable key used in audit packages (e.g. <c>police</c>).</summary>
    public string Key { get; private set; }

    public string Name { get; private set; }

    public string Kind { get; private set; }

    public static Agency Create(string key, string name, string kind, long id = 0)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (!KeyPattern().IsMatch(key))
        {
            throw new ArgumentException($"Agency key '{key}' must be lowercase letters, digits and hyphens.", nameof(key));
        }

        if (name.Trim().Length > MaxNameLength)
        {
            throw new ArgumentException($"Agency name must be at most {MaxNameLength} characters.", nameof(name));
        }

        if (!AgencyKinds.IsKnown(kind))
        {
            throw new ArgumentException($"'{kind}' is not an agency kind ({string.Join(", ", AgencyKinds.All)}).", nameof(kind));
        }

        return new Agency(id, key, name.Trim(), kind);
    }

    public static bool IsValidKey(string? key) => key is not null && KeyPattern().IsMatch(key);

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,63}$")]
    private static partial Regex KeyPattern();
}

public interface IAgencyRepository
{
    Task<IReadOnlyList<Agency>> GetAllAsync();

    Task<Agency?> GetByIdAsync(long id);

    Task<Agency?> GetByKeyAsync(string key);

    Task<long> CreateAsync(Agency agency);

    Task ReplaceAsync(Agency agency);
}
