using System.Security.Claims;
using AuditTool.Domain.Accounts;
using AuditTool.Domain.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace AuditTool.Web.Auth;

/// <summary>One identity provider, as <c>AuditTool:Oidc:Providers:NAME</c> gives it.</summary>
public sealed class OidcProviderOptions
{
    public string DisplayName { get; set; } = string.Empty;

    public string Authority { get; set; } = string.Empty;

    public string ClientId { get; set; } = string.Empty;

    public string? ClientSecret { get; set; }

    /// <summary>Comma-separated: addresses at these domains are sent to this provider from the sign-in page.</summary>
    public string? EmailDomains { get; set; }

    public bool EnforcesMfa { get; set; }

    public bool AutoCreate { get; set; }

    public string? DefaultRole { get; set; }

    public string? DefaultAgency { get; set; }

    /// <summary>Group claim value to role key, for accounts created at a first sign-in.</summary>
    public Dictionary<string, string> GroupRoles { get; set; } = [];

    /// <summary>The claim that carries the person's groups (Entra ID: <c>groups</c>).</summary>
    public string GroupClaim { get; set; } = "groups";

    public bool RequireHttpsMetadata { get; set; } = true;
}

/// <summary>A configured provider: its settings' name, its scheme and callback path, and its rules for the domain.</summary>
public sealed record OidcProvider(string Name, OidcProviderOptions Options)
{
    public string Scheme => $"oidc-{Name}";

    public string CallbackPath => $"/signin-oidc-{Name}";

    public IReadOnlyList<string> Domains { get; } = (Options.EmailDomains ?? string.Empty)
        .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(d => d.TrimStart('@').ToLowerInvariant()).ToList();

    /// <summary>The provider's origin, which the sign-in form may send the browser on to (Content-Security-Policy form-action).</summary>
    public string Origin => new Uri(Options.Authority).GetLeftPart(UriPartial.Authority);

    public ExternalProviderRules Rules => new(Name, Options.DisplayName, Options.EnforcesMfa, Options.AutoCreate,
        Roles.Parse(Options.DefaultRole), Options.DefaultAgency,
        Options.GroupRoles.Where(g => Roles.Parse(g.Value) is not null).ToDictionary(g => g.Key, g => Roles.Parse(g.Value)!.Value, StringComparer.Ordinal));
}

/// <summary>The identity providers of the partnership's agencies: several at once, each its own OpenID Connect scheme.</summary>
public sealed class OidcProviders
{
    /// <summary>Where a provider's sign-in is held between its callback and the account being found (minutes, nothing else).</summary>
    public const string ExternalScheme = "external";

    public OidcProviders(IConfiguration configuration)
    {
        var list = new List<OidcProvider>();
        foreach (var section in configuration.GetSection("AuditTool:Oidc:Providers").GetChildren())
        {
            var options = section.Get<OidcProviderOptions>() ?? new OidcProviderOptions();
            var name = section.Key.ToLowerInvariant();
            if (!System.Text.RegularExpressions.Regex.IsMatch(name, "^[a-z0-9-]{1,32}$"))
            {
                throw new ArgumentException($"AuditTool:Oidc:Providers:{section.Key}: a provider's name is 1 to 32 letters, digits or hyphens.");
            }

            if (string.IsNullOrWhiteSpace(options.Authority) || !Uri.TryCreate(options.Authority, UriKind.Absolute, out _) ||
                string.IsNullOrWhiteSpace(options.ClientId))
            {
                throw new ArgumentException($"AuditTool:Oidc:Providers:{section.Key}: Authority (an absolute URL) and ClientId are needed.");
            }

            if (options.AutoCreate && Roles.Parse(options.DefaultRole) is null && options.GroupRoles.Count == 0)
            {
                throw new ArgumentException($"AuditTool:Oidc:Providers:{section.Key}: AutoCreate needs a DefaultRole (or GroupRoles).");
            }

            if (string.IsNullOrWhiteSpace(options.DisplayName))
            {
                options.DisplayName = section.Key;
            }

            list.Add(new OidcProvider(name, options));
        }

        All = list;
    }

    public IReadOnlyList<OidcProvider> All { get; }

    public OidcProvider? Find(string? name) => All.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The provider that serves an e-mail address's domain, if any.</summary>
    public OidcProvider? ForEmail(string? address)
    {
        var at = address?.LastIndexOf('@') ?? -1;
        if (at < 1)
        {
            return null;
        }

        var domain = address![(at + 1)..].Trim().ToLowerInvariant();
        return All.FirstOrDefault(p => p.Domains.Contains(domain));
    }

    public void Register(AuthenticationBuilder authentication)
    {
        if (All.Count == 0)
        {
            return;
        }

        authentication.AddCookie(ExternalScheme, cookie =>
        {
            cookie.Cookie.Name = "audittool.external";
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Lax;
            cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            cookie.ExpireTimeSpan = TimeSpan.FromMinutes(5);
            cookie.Cookie.Path = "/Account";
        });
        foreach (var provider in All)
        {
            authentication.AddOpenIdConnect(provider.Scheme, provider.Options.DisplayName, oidc =>
            {
                var o = provider.Options;
                oidc.SignInScheme = ExternalScheme;
                oidc.Authority = o.Authority;
                oidc.ClientId = o.ClientId;
                oidc.ClientSecret = o.ClientSecret;
                oidc.RequireHttpsMetadata = o.RequireHttpsMetadata;
                oidc.CallbackPath = provider.CallbackPath;
                oidc.ResponseType = OpenIdConnectResponseType.Code;
                oidc.UsePkce = true;
                // The answer comes back as a top-level GET: the correlation and nonce cookies are Lax, so they are sent
                // with it from the provider's site (a cross-site form post would need SameSite=None).
                oidc.ResponseMode = OpenIdConnectResponseMode.Query;
                oidc.CorrelationCookie.SameSite = SameSiteMode.Lax;
                oidc.NonceCookie.SameSite = SameSiteMode.Lax;
                oidc.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                oidc.NonceCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                oidc.SaveTokens = false;
                oidc.GetClaimsFromUserInfoEndpoint = false;
                oidc.MapInboundClaims = false;
                oidc.Scope.Clear();
                oidc.Scope.Add("openid");
                oidc.Scope.Add("email");
                oidc.Scope.Add("profile");
                oidc.TokenValidationParameters.NameClaimType = "name";
                oidc.Events = new OpenIdConnectEvents
                {
                    OnRedirectToIdentityProvider = context =>
                    {
                        if (context.Properties.Items.TryGetValue("login_hint", out var hint) && !string.IsNullOrEmpty(hint))
                        {
                            context.ProtocolMessage.LoginHint = hint;
                        }

                        return Task.CompletedTask;
                    },
                    // A refused, replayed or broken answer from the provider: a plain message on the sign-in page.
                    OnRemoteFailure = context =>
                    {
                        context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger<OidcProviders>()
                            .LogWarning(context.Failure, "Sign-in through {Provider} failed", provider.Name);
                        context.Response.Redirect($"/Account/SignIn?provider={Uri.EscapeDataString(provider.Name)}&failed=1");
                        context.HandleResponse();
                        return Task.CompletedTask;
                    },
                };
            });
        }
    }

    /// <summary>What the provider's validated token says about the person.</summary>
    public static ExternalIdentity IdentityOf(OidcProvider provider, ClaimsPrincipal principal)
    {
        string? Claim(string type) => principal.FindFirstValue(type);
        var amr = principal.FindAll("amr").Select(c => c.Value).ToList();
        // email_verified (the standard claim), or Entra ID's optional xms_edov (the address's domain is verified by its owner).
        var verified = Claim("email_verified") ?? Claim("xms_edov");
        // The issuer the token was validated against (each claim carries it), so that the same subject at two providers
        // is never the same person.
        var subject = principal.FindFirst("sub");
        var issuer = Claim("iss") is { Length: > 0 } iss ? iss : subject?.Issuer ?? string.Empty;
        return new ExternalIdentity(provider.Name, issuer, subject?.Value ?? string.Empty, Claim("email") ?? Claim("preferred_username"),
            string.Equals(verified, "true", StringComparison.OrdinalIgnoreCase) || verified == "1",
            Claim("name"),
            amr.Any(a => a is "mfa" or "otp" or "hwk" or "swk" or "fido" or "sms" or "pop"),
            principal.FindAll(provider.Options.GroupClaim).Select(c => c.Value).ToList());
    }
}
