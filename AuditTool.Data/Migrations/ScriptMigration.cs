using System.Reflection;
using System.Text;
using FluentMigrator;

namespace AuditTool.Data.Migrations;

/// <summary>
/// A migration whose work is a SQL script per database dialect: <c>migrations/{dialect}/{name}.sql</c>, embedded in this
/// assembly. The scripts of one migration create the same schema on every dialect; a new dialect adds its folder of
/// scripts (and its name to <see cref="Dialects"/>), it rewrites nothing that landed.
/// </summary>
public abstract class ScriptMigration(string name) : ForwardOnlyMigration
{
    /// <summary>
    /// The folder of scripts for each supported dialect, and which of FluentMigrator's database types it serves (the
    /// PostgreSQL processor names itself by server version, "PostgreSQL15_0": match the family, not one name).
    /// </summary>
    public static IReadOnlyList<(string Folder, Predicate<string> Serves)> Dialects { get; } =
    [
        ("sqlite", type => type.StartsWith("SQLite", StringComparison.OrdinalIgnoreCase)),
        ("postgres", type => type.StartsWith("Postgres", StringComparison.OrdinalIgnoreCase)),
    ];

    public string Name { get; } = name;

    public override void Up()
    {
        foreach (var (folder, serves) in Dialects)
        {
            IfDatabase(serves).Execute.Sql(Script(folder, Name));
        }

        // A database no dialect serves must not be marked as migrated with nothing done.
        IfDatabase(type => !Dialects.Any(d => d.Serves(type))).Execute.WithConnection((_, _) =>
            throw new MigrationException($"The migration {Name} has no script for this kind of database."));
    }

    /// <summary>The embedded script of a migration for one dialect.</summary>
    public static string Script(string folder, string name)
    {
        var assembly = typeof(ScriptMigration).Assembly;
        var resource = $"migrations/{folder}/{name}.sql";
        using var stream = assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The migration script {resource} is not embedded in {assembly.GetName().Name}.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    /// <summary>Every embedded script name, for the guard test that landed scripts never change.</summary>
    public static IEnumerable<string> EmbeddedScripts() =>
        typeof(ScriptMigration).Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith("migrations/", StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);

    internal static Assembly Assembly => typeof(ScriptMigration).Assembly;
}
