using System.Text;
using AuditTool.Domain.Security;
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
        return endpoints;
    }
}
