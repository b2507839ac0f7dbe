using System.Threading.RateLimiting;
using AuditTool.Web.Hosting;
using Microsoft.AspNetCore.RateLimiting;

namespace AuditTool.Web.Auth;

/// <summary>
/// Sign-in attempts (the posts of the sign-in and second-factor forms) are limited per network address and for the whole server, so one address
/// can neither lock every account nor guess across many, and a crowd of addresses cannot either beyond the global
/// limit. The account lockout still holds for each account on its own. Everything else is not limited here.
/// </summary>
public static class SignInRateLimits
{
    /// <summary>The posts that check a password or a code.</summary>
    public static readonly string[] Paths = ["/Account/SignIn", "/Account/SecondFactor", "/Account/SecondFactorSetUp", "/Account/Passkey/Finish"];

    public static IServiceCollection AddSignInRateLimits(this IServiceCollection services, SignInLimitOptions limits) =>
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.GlobalLimiter = PartitionedRateLimiter.CreateChained(
                PartitionedRateLimiter.Create<HttpContext, string>(context => IsSignIn(context)
                    ? RateLimitPartition.GetSlidingWindowLimiter(context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                        _ => PerMinute(limits.PerAddressPerMinute))
                    : RateLimitPartition.GetNoLimiter(string.Empty)),
                PartitionedRateLimiter.Create<HttpContext, string>(context => IsSignIn(context)
                    ? RateLimitPartition.GetSlidingWindowLimiter("all", _ => PerMinute(limits.GlobalPerMinute))
                    : RateLimitPartition.GetNoLimiter(string.Empty)));
            limiter.OnRejected = async (rejected, cancel) =>
            {
                var response = rejected.HttpContext.Response;
                response.Headers.RetryAfter = "60";
                response.ContentType = "text/html; charset=utf-8";
                rejected.HttpContext.RequestServices.GetRequiredService<ILogger<SignInLimitOptions>>()
                    .LogWarning("Sign-in attempts from {Address} refused: too many in a minute.", rejected.HttpContext.Connection.RemoteIpAddress);
                await response.WriteAsync("""
                    <!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>Too many sign-in attempts · AuditTool</title></head>
                    <body><main><h1>Too many sign-in attempts</h1>
                    <p role="alert">Too many sign-in attempts have come from your network in the last minute. Wait a minute, then
                    <a href="/Account/SignIn">try again</a>.</p></main></body></html>
                    """, cancel);
            };
        });

    private static bool IsSignIn(HttpContext context) =>
        HttpMethods.IsPost(context.Request.Method) && Paths.Any(p => context.Request.Path.Equals(p, StringComparison.OrdinalIgnoreCase));

    private static SlidingWindowRateLimiterOptions PerMinute(int permits) => new()
    {
        PermitLimit = Math.Max(1, permits),
        Window = TimeSpan.FromMinutes(1),
        SegmentsPerWindow = 6,
        QueueLimit = 0,
        AutoReplenishment = true,
    };
}
