using AuditTool.Benchmarks.References;
using AuditTool.Domain.Exports;
using AuditTool.Domain.Findings;
using AuditTool.Domain.Security;
using Microsoft.Extensions.DependencyInjection;

namespace AuditTool.Benchmarks.Measurements;

/// <summary>The four things measured, each run in a child process of its own.</summary>
public static class Operations
{
    public const string Aggregate = "aggregate";
    public const string Export = "export";
    public const string Dom = "dom";
    public const string Floor = "floor";

    public static IReadOnlyList<string> All { get; } = [Export, Floor, Dom, Aggregate];

    /// <summary>Runs one operation on an audit; returns the rows written where the operation knows them.</summary>
    public static Func<long, string, Task<long?>> For(string what, IServiceProvider services) => what switch
    {
        Aggregate => async (auditId, _) =>
        {
            var view = await services.GetRequiredService<FiguresService>().GetAsync(Actor.System, auditId);
            return view.Figures.Returns;
        },
        Export => async (auditId, path) =>
        {
            // As the web app's export job: a temporary file with a 64 KB buffer.
            await using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
            await services.GetRequiredService<ExportService>().ExportXlsxAsync(Actor.System, auditId, file);
            return null;
        },
        Dom => async (auditId, path) => await DomWriter.WriteAsync(services, auditId, path),
        Floor => async (auditId, path) => await FloorWriter.WriteAsync(services, auditId, path),
        _ => throw new ArgumentException($"Unknown measurement \"{what}\" ({string.Join(", ", All)})."),
    };
}
