using System.Collections.Concurrent;
using System.Net;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AuditTool.Tests.Support;

/// <summary>Who signs in at the test provider.</summary>
public sealed record TestPerson(string Subject, string? Email, bool EmailVerified = true, string? Name = null,
    IReadOnlyList<string>? Amr = null, IReadOnlyList<string>? Groups = null);

/// <summary>
/// A real OpenID Connect provider on a free loopback port, for the tests: discovery, an authorization endpoint (the
/// code flow with PKCE; it approves at once, or shows a "Continue as" page for the browser tests), a token endpoint that
/// checks the client's secret, the redirect address and the PKCE verifier, and a signing key published as JWKS. Each
/// code is taken once. A test chooses who signs in, and can make the provider issue tokens under another issuer.
/// </summary>
public sealed class TestOidcProvider : IAsyncDisposable
{
    public const string ClientId = "audittool";
    public const string ClientSecret = "throwaway-client-secret";

    private readonly WebApplication _app;
    private readonly RsaSecurityKey _key = new(RSA.Create(2048)) { KeyId = Guid.NewGuid().ToString("N") };
    private readonly ConcurrentDictionary<string, Grant> _codes = new();

    private TestOidcProvider(WebApplication app) => _app = app;

    public string Authority { get; private set; } = string.Empty;

    /// <summary>The issuer written into ID tokens (the authority unless a test says otherwise).</summary>
    public string? TokenIssuer { get; set; }

    public TestPerson? Person { get; set; }

    /// <summary>False: the authorization endpoint shows a page with a "Continue as" button, as a provider's sign-in page would.</summary>
    public bool ApproveAtOnce { get; set; } = true;

    /// <summary>The login hints the app sent, in order.</summary>
    public ConcurrentQueue<string?> LoginHints { get; } = new();

    public int TokensIssued => _tokens;

    private int _tokens;

    public static async Task<TestOidcProvider> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var provider = new TestOidcProvider(app);
        provider.Map(app);
        await app.StartAsync();
        provider.Authority = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single().TrimEnd('/');
        return provider;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private void Map(WebApplication app)
    {
        app.MapGet("/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = Authority,
            ["authorization_endpoint"] = $"{Authority}/authorize",
            ["token_endpoint"] = $"{Authority}/token",
            ["jwks_uri"] = $"{Authority}/jwks",
            ["response_types_supported"] = new[] { "code" },
            ["response_modes_supported"] = new[] { "query" },
            ["subject_types_supported"] = new[] { "public" },
            ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
            ["code_challenge_methods_supported"] = new[] { "S256" },
            ["token_endpoint_auth_methods_supported"] = new[] { "client_secret_post", "client_secret_basic" },
        }));

        app.MapGet("/jwks", () =>
        {
            var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(_key);
            return Results.Json(new { keys = new[] { new { kty = "RSA", use = "sig", alg = "RS256", kid = jwk.Kid, n = jwk.N, e = jwk.E } } });
        });

        app.MapGet("/authorize", (HttpContext context) =>
        {
            var q = context.Request.Query;
            LoginHints.Enqueue(q["login_hint"]);
            if (q["client_id"] != ClientId || q["response_type"] != "code" || q["code_challenge_method"] != "S256" ||
                string.IsNullOrEmpty(q["code_challenge"]) || string.IsNullOrEmpty(q["redirect_uri"]))
            {
                return Results.BadRequest("bad authorization request");
            }

            if (Person is null)
            {
                return Results.Content("<!DOCTYPE html><html lang=\"en\"><head><title>Provider</title></head><body><p>Nobody can sign in here.</p></body></html>", "text/html");
            }

            var approve = $"/approve{context.Request.QueryString}";
            if (!ApproveAtOnce)
            {
                var name = WebUtility.HtmlEncode(Person.Name ?? Person.Email ?? Person.Subject);
                return Results.Content($"""
                    <!DOCTYPE html><html lang="en"><head><title>Test identity provider</title></head>
                    <body><main><h1>Test identity provider</h1><a href="{WebUtility.HtmlEncode(approve)}">Continue as {name}</a></main></body></html>
                    """, "text/html");
            }

            return Results.Redirect(approve);
        });

        app.MapGet("/approve", (HttpContext context) =>
        {
            var q = context.Request.Query;
            var code = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
            _codes[code] = new Grant(q["redirect_uri"]!, q["nonce"], q["code_challenge"]!, Person!);
            var separator = q["redirect_uri"].ToString().Contains('?') ? '&' : '?';
            return Results.Redirect($"{q["redirect_uri"]}{separator}code={Uri.EscapeDataString(code)}&state={Uri.EscapeDataString(q["state"]!)}");
        });

        app.MapPost("/token", async (HttpContext context) =>
        {
            var form = await context.Request.ReadFormAsync();
            var (clientId, secret) = ClientOf(context, form);
            if (clientId != ClientId || secret != ClientSecret)
            {
                return Results.Json(new { error = "invalid_client" }, statusCode: 401);
            }

            if (form["grant_type"] != "authorization_code" || !_codes.TryRemove(form["code"].ToString(), out var grant) ||
                grant.RedirectUri != form["redirect_uri"] ||
                Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(form["code_verifier"].ToString()))) != grant.Challenge)
            {
                return Results.Json(new { error = "invalid_grant" }, statusCode: 400);
            }

            Interlocked.Increment(ref _tokens);
            var claims = new Dictionary<string, object> { ["sub"] = grant.Person.Subject };
            if (grant.Nonce is { Length: > 0 } nonce)
            {
                claims["nonce"] = nonce;
            }

            if (grant.Person.Email is { } email)
            {
                claims["email"] = email;
                claims["email_verified"] = grant.Person.EmailVerified;
            }

            if (grant.Person.Name is { } personName)
            {
                claims["name"] = personName;
            }

            if (grant.Person.Amr is { Count: > 0 } amr)
            {
                claims["amr"] = amr.ToArray();
            }

            if (grant.Person.Groups is { Count: > 0 } groups)
            {
                claims["groups"] = groups.ToArray();
            }

            var now = DateTime.UtcNow;
            var idToken = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
            {
                Issuer = TokenIssuer ?? Authority,
                Audience = ClientId,
                IssuedAt = now,
                NotBefore = now.AddSeconds(-5),
                Expires = now.AddMinutes(5),
                Claims = claims,
                SigningCredentials = new SigningCredentials(_key, SecurityAlgorithms.RsaSha256),
            });
            return Results.Json(new { access_token = Guid.NewGuid().ToString("N"), token_type = "Bearer", expires_in = 300, id_token = idToken });
        });
    }

    private static (string? Id, string? Secret) ClientOf(HttpContext context, IFormCollection form)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (header.StartsWith("Basic ", StringComparison.Ordinal))
        {
            var pair = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..])).Split(':', 2);
            return (Uri.UnescapeDataString(pair[0]), pair.Length > 1 ? Uri.UnescapeDataString(pair[1]) : null);
        }

        return (form["client_id"], form["client_secret"]);
    }

    /// <summary>The settings that make the app use this provider under <paramref name="name"/>.</summary>
    public Dictionary<string, string> SettingsAs(string name, string displayName, string emailDomains, bool enforcesMfa = false)
    {
        var prefix = $"AuditTool:Oidc:Providers:{name}:";
        return new Dictionary<string, string>
        {
            [prefix + "DisplayName"] = displayName,
            [prefix + "Authority"] = Authority,
            [prefix + "ClientId"] = ClientId,
            [prefix + "ClientSecret"] = ClientSecret,
            [prefix + "EmailDomains"] = emailDomains,
            [prefix + "EnforcesMfa"] = enforcesMfa ? "true" : "false",
            [prefix + "RequireHttpsMetadata"] = "false",
        };
    }

    private sealed record Grant(string RedirectUri, string? Nonce, string Challenge, TestPerson Person);
}
