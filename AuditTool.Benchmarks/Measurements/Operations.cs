using AuditTool.Benchmarks.References;
using AuditTool.Domain.Exports;
using AuditTool.Domain.Findings;
using AuditTool.Domain.Security;
using Microsoft.Extensions.DependencyInjection;

namespace AuditTool.Benchmarks.Measurements;

/// <summary>The things measured, each run in a child process of its own.</summary>
public static class Operations
{
    public const string Aggregate = "aggregate";
    public const string Export = "export";
    public const string ExportResponses = "export-responses";
    public const string Dom = "dom";
    public const string Floor = "floor";
    public const string SpreadCheetah = "spreadcheetah";
    public const string SpreadCheetahProduct = "spreadcheetah-product";

    public static IReadOnlyList<string> All { get; } = [Export, ExportResponses, Floor, SpreadCheetah, SpreadCheetahProduct, Dom, Aggregate];

    /// <summary>The operations that write the Responses cells through <see cref="ResponseSheet"/> and report the rows written.</summary>
    public static IReadOnlyList<string> References { get; } = [Floor, Dom, SpreadCheetah, SpreadCheetahProduct];

    /// <summary>Runs one operation on an audit; returns the rows written where the operation knows them.</summary>
    public static Func<long, string, Task<long?>> For(string what, IServiceProvider services) => what switch
    {
        Aggregate => async (auditId, _) =>
        {
            // From the database each time: a figures service of its own, since the app's holds an open audit's figures
            // until the audit changes (a second run would read them from memory).
            var view = await ActivatorUtilities.CreateInstance<FiguresService>(services).GetAsync(Actor.System, auditId);
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
        ExportResponses => async (auditId, path) =>
        {
            await ResponsesOnlyExport.WriteAsync(services, auditId, path);
            return null;
        },
        SpreadCheetah => async (auditId, path) => await SpreadCheetahWriter.WriteCellsAsync(services, auditId, path),
        SpreadCheetahProduct => async (auditId, path) => await SpreadCheetahWriter.WriteProductSheetAsync(services, auditId, path),
        _ => throw new ArgumentException($"Unknown measurement \"{what}\" ({string.Join(", ", All)})."),
    };
}
