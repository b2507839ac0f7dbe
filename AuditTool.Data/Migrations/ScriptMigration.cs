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
    /// <summary>FluentMigrator's processor id and the folder of scripts for each supported dialect.</summary>
    public static IReadOnlyList<(string ProcessorId, string Folder)> Dialects { get; } =
    [
        (ProcessorIdConstants.SQLite, "sqlite"),
    ];

    public string Name { get; } = name;

    public override void Up()
    {
        foreach (var (processorId, folder) in Dialects)
        {
            IfDatabase(processorId).Execute.Sql(Script(folder, Name));
        }
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
