using System.Text;
using AuditTool.Domain.Security;
using AuditTool.Domain.Packages;
using AuditTool.Domain.Templates;

namespace AuditTool.Web.Auth;

/// <summary>File downloads: plain HTTP endpoints, each checked by the service behind it, not only by the route.</summary>
public static class DownloadEndpoints
{
    public static IEndpointRouteBuilder MapDownloadEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/templates/versions/{versionId:long}/download", async (long versionId, HttpContext context, TemplateDesignService design) =>
        {
            var actor = context.User.ToActor();
            if (actor is null)
            {
                return Results.Challenge();
            }

            try
            {
                var file = await design.ExportAsync(actor, versionId);
                return Results.File(Encoding.UTF8.GetBytes(file.Json), "application/json", file.FileName);
            }
            catch (AccessDeniedException)
            {
                return Results.Forbid();
            }
            catch (DomainValidationException ex)
            {
                return Results.NotFound(ex.Message);
            }
        }).RequireAuthorization(policy => policy.RequireRole(Roles.Scrutineer));

        endpoints.MapGet("/data-protection/case-file", async (string? @ref, HttpContext context, AuditTool.Domain.DataProtection.CaseFileService cases) =>
        {
            var actor = context.User.ToActor();
            if (actor is null)
            {
                return Results.Challenge();
            }

            try
            {
                // The export is recorded in the case's disclosure record.
                var file = await cases.ExportAsync(actor, @ref);
                var name = "case-file-" + new string(file.CaseRef.Select(c => char.IsAsciiLetterOrDigit(c) || c == '-' ? c : '_').ToArray()) + ".json";
                return Results.File(file.ToJson(), "application/json", name);
            }
            catch (DomainValidationException ex)
            {
                return Results.BadRequest(ex.Message);
            }
        }).RequireAuthorization(policy => policy.RequireRole(Roles.Scrutineer));

        endpoints.MapGet("/audits/{auditId:long}/package", async (long auditId, HttpContext context, AuditPackageService packages) =>
        {
            var actor = context.User.ToActor();
            if (actor is null)
            {
                return Results.Challenge();
            }

            return await FromTempFileAsync(async file =>
            {
                await packages.ExportAsync(actor, auditId, file);
                return ("application/json", $"audit-{auditId}.json");
            });
        }).RequireAuthorization(policy => policy.RequireRole(Roles.Scrutineer));

        endpoints.MapGet("/audits/{auditId:long}/workbooks/{agencyKey}", async (long auditId, string agencyKey, HttpContext context,
            AuditTool.Domain.Workbooks.WorkbookService workbooks) =>
        {
            var actor = context.User.ToActor();
            if (actor is null)
            {
                return Results.Challenge();
            }

            return await FromTempFileAsync(async file =>
            {
                var download = await workbooks.DownloadAsync(actor, auditId, agencyKey, file);
                return ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", download.FileName);
            });
        }).RequireAuthorization(policy => policy.RequireRole(Roles.Auditor, Roles.Scrutineer));

        endpoints.MapGet("/reports/{auditId:long}/document", async (long auditId, HttpContext context, AuditTool.Domain.Findings.ReportDocumentService documents) =>
        {
            var actor = context.User.ToActor();
            if (actor is null)
            {
                return Results.Challenge();
            }

            try
            {
                var buffer = new MemoryStream();
                var name = await documents.ExportAsync(actor, auditId, buffer, context.RequestAborted);
                buffer.Position = 0;
                return Results.File(buffer, "application/vnd.openxmlformats-officedocument.wordprocessingml.document", name);
            }
            catch (AccessDeniedException)
            {
                return Results.Forbid();
            }
            catch (DomainValidationException ex)
            {
                return Results.NotFound(ex.Message);
            }
        }).RequireAuthorization(policy => policy.RequireRole(Roles.Scrutineer, Roles.Manager, Roles.Executive));

        endpoints.MapGet("/admin/sign-in-report.xlsx", async (HttpContext context, AuditTool.Domain.Accounts.UserAdminService users) =>
        {
            var actor = context.User.ToActor();
            if (actor is null)
            {
                return Results.Challenge();
            }

            return await FromTempFileAsync(async file =>
                ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", await users.ExportSignInReportAsync(actor, file)));
        }).RequireAuthorization(policy => policy.RequireRole(Roles.Administrator));

        endpoints.MapGet("/exports/{jobId}", (string jobId, HttpContext context, AuditTool.Web.Exports.ExportJobs jobs) =>
        {
            var actor = context.User.ToActor();
            var job = actor is null ? null : jobs.TakeFinished(jobId, actor.UserId);
            if (job is null)
            {
                // Exports are made and kept by the server that ran them: behind a load balancer, sessions are sticky (as
                // Blazor's circuits need anyway), so the download reaches the same server. Say so if it did not.
                return Results.NotFound("That export is not on this server: it is not ready, has already been downloaded, " +
                    "is not yours, or was made by another server (downloads need sticky sessions at the load balancer).");
            }

            var stream = new FileStream(job.TempFile, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.DeleteOnClose);
            return Results.File(stream, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", job.FileName);
        }).RequireAuthorization(policy => policy.RequireRole(Roles.Scrutineer, Roles.Manager));
        return endpoints;
    }

    /// <summary>
    /// A download written to a temporary file first: a refusal or a missing audit is a clean error (403 or 404 with the
    /// reason), never half a file. The file is deleted when the response has been sent, or at once on a refusal.
    /// </summary>
    private static async Task<IResult> FromTempFileAsync(Func<Stream, Task<(string ContentType, string FileName)>> write)
    {
        var temp = Path.GetTempFileName();
        try
        {
            (string ContentType, string FileName) written;
            await using (var file = File.Create(temp))
            {
                written = await write(file);
            }

            var stream = new FileStream(temp, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.DeleteOnClose);
            return Results.File(stream, written.ContentType, written.FileName);
        }
        catch (AccessDeniedException)
        {
            File.Delete(temp);
            return Results.Forbid();
        }
        catch (DomainValidationException ex)
        {
            File.Delete(temp);
            return Results.NotFound(ex.Message);
        }
    }
}
