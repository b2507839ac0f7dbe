using System.Collections.Concurrent;
using AuditTool.Domain.Exports;
using AuditTool.Domain.Security;

namespace AuditTool.Web.Exports;

/// <summary>An Excel export being produced in the background into a temporary file, with its progress.</summary>
public sealed class ExportJob
{
    public required string Id { get; init; }

    public required long UserId { get; init; }

    public required string TempFile { get; init; }

    public string FileName { get; set; } = "audit.xlsx";

    public double Progress { get; set; }

    public bool Done { get; set; }

    public string? Error { get; set; }

    public DateTimeOffset StartedUtc { get; init; } = DateTimeOffset.UtcNow;

    public event Action? Changed;

    internal void Notify() => Changed?.Invoke();
}

/// <summary>
/// Runs exports off the page so a large workbook shows progress instead of a spinning browser; the finished file is
/// downloaded once, by the person who asked for it, then deleted. Access is checked by ExportService when the job runs.
/// </summary>
public sealed class ExportJobs(IServiceScopeFactory scopes, ILogger<ExportJobs> logger)
{
    private static readonly TimeSpan KeepFor = TimeSpan.FromMinutes(30);
    private readonly ConcurrentDictionary<string, ExportJob> _jobs = new();

    public ExportJob Start(Actor actor, long auditId)
    {
        Sweep();
        var job = new ExportJob
        {
            Id = Guid.NewGuid().ToString("N"),
            UserId = actor.UserId,
            TempFile = Path.Combine(Path.GetTempPath(), $"audittool-export-{Guid.NewGuid():N}.xlsx"),
        };
        _jobs[job.Id] = job;
        _ = Task.Run(async () =>
        {
            try
            {
                using var scope = scopes.CreateScope();
                var export = scope.ServiceProvider.GetRequiredService<ExportService>();
                await using var file = new FileStream(job.TempFile, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
                var last = 0.0;
                job.FileName = await export.ExportXlsxAsync(actor, auditId, file, new Progress<double>(p =>
                {
                    job.Progress = p;
                    if (p - last >= 0.02 || p >= 1)
                    {
                        last = p;
                        job.Notify();
                    }
                }));
            }
            catch (AccessDeniedException ex)
            {
                job.Error = ex.Message;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Export of audit {AuditId} failed", auditId);
                job.Error = "The export failed. Nothing was changed; try again, and tell your administrator if it keeps failing.";
            }

            job.Done = true;
            job.Progress = 1;
            job.Notify();
        });
        return job;
    }

    /// <summary>The finished file of the user's own job (removed from the list: it is downloaded once).</summary>
    public ExportJob? TakeFinished(string id, long userId) =>
        _jobs.TryGetValue(id, out var job) && job.UserId == userId && job.Done && job.Error is null && _jobs.TryRemove(id, out _)
            ? job
            : null;

    private void Sweep()
    {
        foreach (var (id, job) in _jobs)
        {
            if (job.Done && DateTimeOffset.UtcNow - job.StartedUtc > KeepFor && _jobs.TryRemove(id, out _))
            {
                File.Delete(job.TempFile);
            }
        }
    }
}
