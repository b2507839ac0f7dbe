using System.Net;
using AuditTool.Tests.Browser;

namespace AuditTool.Tests.Security;

/// <summary>
/// The app behind a TLS proxy, over HTTP on loopback: the test plays the proxy. Forwarded headers count only from the
/// configured proxy; then the request is HTTPS to the app (HSTS, Secure cookies) and the person's own address is the
/// one the sign-in limits count. From anywhere else they are ignored.
/// </summary>
public sealed class BehindAProxyTests
{
    private static HttpRequestMessage FromTheProxy(string path, string forwardedFor = "203.0.113.7")
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("X-Forwarded-Host", "audit.partnership.example.org");
        request.Headers.Add("X-Forwarded-For", forwardedFor);
        return request;
    }

    private static HttpClient Client(string baseUrl) =>
        new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = new Uri(baseUrl) };

    private static IEnumerable<string> SetCookies(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var values) ? values : [];

    [Fact]
    public async Task HttpsForwardedByTheKnownProxy_GivesHstsAndSecureCookies()
    {
        await using var app = await AppHost.StartAsync(new Dictionary<string, string>
        {
            ["AuditTool:KnownProxies"] = "127.0.0.1, ::1",
            ["AuditTool:HttpsRedirect"] = "false",
        }, environment: "Production");
        using var http = Client(app.BaseUrl);

        using var response = await http.SendAsync(FromTheProxy("/Account/SignIn"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.TryGetValues("Strict-Transport-Security", out var hsts), "no HSTS header");
        Assert.Contains("max-age=31536000", hsts!.Single());
        var antiforgery = SetCookies(response).Single(c => c.StartsWith(".AspNetCore.Antiforgery", StringComparison.Ordinal));
        Assert.Contains("secure", antiforgery, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task ForwardedHeadersFromAnUnknownAddress_AreIgnored()
    {
        await using var app = await AppHost.StartAsync(new Dictionary<string, string>
        {
            ["AuditTool:KnownProxies"] = "10.20.30.40",
            ["AuditTool:HttpsRedirect"] = "false",
        }, environment: "Production");
        using var http = Client(app.BaseUrl);

        using var response = await http.SendAsync(FromTheProxy("/Account/SignIn"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("Strict-Transport-Security"), "HSTS was sent for a request that was not HTTPS");
    }

    [Fact]
    public async Task BehindTheProxy_EachPersonsOwnAddress_HasItsOwnSignInLimit()
    {
        await using var app = await AppHost.StartAsync(new Dictionary<string, string>
        {
            ["AuditTool:KnownProxies"] = "127.0.0.1, ::1",
            ["AuditTool:HttpsRedirect"] = "false",
            ["AuditTool:SignIn:PerAddressPerMinute"] = "2",
            ["AuditTool:SignIn:GlobalPerMinute"] = "1000",
        }, environment: "Production");
        using var http = Client(app.BaseUrl);
        async Task<HttpStatusCode> PostFromAsync(string person)
        {
            using var request = FromTheProxy("/Account/SignIn", person);
            request.Method = HttpMethod.Post;
            request.Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["_handler"] = "signin" });
            using var response = await http.SendAsync(request);
            return response.StatusCode;
        }

        var first = new[] { await PostFromAsync("203.0.113.7"), await PostFromAsync("203.0.113.7"), await PostFromAsync("203.0.113.7") };
        var other = await PostFromAsync("198.51.100.23");

        Assert.Equal(HttpStatusCode.TooManyRequests, first[2]);
        Assert.NotEqual(HttpStatusCode.TooManyRequests, first[0]);
        Assert.NotEqual(HttpStatusCode.TooManyRequests, other);
    }

    [Fact]
    public async Task InProduction_PlainHttpIsSentToHttps_ExceptTheHealthProbe()
    {
        await using var app = await AppHost.StartAsync(new Dictionary<string, string>
        {
            ["AuditTool:KnownProxies"] = "127.0.0.1, ::1",
        }, environment: "Production");
        using var http = Client(app.BaseUrl);

        using var plain = await http.GetAsync("/Account/SignIn");
        using var secure = await http.SendAsync(FromTheProxy("/Account/SignIn"));
        using var health = await http.GetAsync("/health");

        Assert.True(plain.StatusCode is HttpStatusCode.RedirectKeepVerb or HttpStatusCode.Redirect or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect,
            $"plain HTTP answered {plain.StatusCode}");
        Assert.StartsWith("https://", plain.Headers.Location?.ToString());
        Assert.Equal(HttpStatusCode.OK, secure.StatusCode);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }
}
