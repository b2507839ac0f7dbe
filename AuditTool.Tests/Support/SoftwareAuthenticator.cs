using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AuditTool.Tests.Support;

/// <summary>
/// A passkey authenticator in code (ES256, "none" attestation), written from the WebAuthn Level 3 specification: it
/// answers the server's options as a browser would (<c>PublicKeyCredential.toJSON()</c>), so a test can replay an
/// answer, answer for another account, or wind its signature counter back, which a real authenticator never does.
/// </summary>
public sealed class SoftwareAuthenticator(string origin, string rpId) : IDisposable
{
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public byte[] CredentialId { get; } = RandomNumberGenerator.GetBytes(32);

    public byte[] UserHandle { get; private set; } = [];

    /// <summary>The signature counter of the last answer; the next one carries one more (a test may set it back).</summary>
    public uint Counter { get; set; }

    /// <summary>Whether answers say the person was verified (PIN or biometric).</summary>
    public bool Verifies { get; set; } = true;

    /// <summary>Makes a credential for the options of a registration ceremony: the JSON the browser would send back.</summary>
    public string Create(string optionsJson)
    {
        var options = JsonNode.Parse(optionsJson)!;
        UserHandle = Base64Url.DecodeFromChars((string)options["user"]!["id"]!);
        var clientData = ClientData("webauthn.create", (string)options["challenge"]!);
        var p = _key.ExportParameters(false);
        var coseKey = Cbor.Map(
            (Cbor.Int(1), Cbor.Int(2)), (Cbor.Int(3), Cbor.Int(-7)), (Cbor.Int(-1), Cbor.Int(1)),
            (Cbor.Int(-2), Cbor.Bytes(p.Q.X!)), (Cbor.Int(-3), Cbor.Bytes(p.Q.Y!)));
        var authData = AuthData(0x41 | (Verifies ? 0x04 : 0), Counter,
            [.. new byte[16], (byte)(CredentialId.Length >> 8), (byte)CredentialId.Length, .. CredentialId, .. coseKey]);
        var attestation = Cbor.Map((Cbor.Text("fmt"), Cbor.Text("none")), (Cbor.Text("attStmt"), Cbor.Map()), (Cbor.Text("authData"), Cbor.Bytes(authData)));
        return Json(new JsonObject
        {
            ["clientDataJSON"] = B64(clientData),
            ["attestationObject"] = B64(attestation),
            ["transports"] = new JsonArray("internal"),
        });
    }

    /// <summary>Answers the options of an assertion ceremony: the JSON the browser would send back.</summary>
    public string Get(string optionsJson)
    {
        var options = JsonNode.Parse(optionsJson)!;
        var clientData = ClientData("webauthn.get", (string)options["challenge"]!);
        Counter++;
        var authData = AuthData(0x01 | (Verifies ? 0x04 : 0), Counter, []);
        var signature = _key.SignData([.. authData, .. SHA256.HashData(clientData)], HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        return Json(new JsonObject
        {
            ["clientDataJSON"] = B64(clientData),
            ["authenticatorData"] = B64(authData),
            ["signature"] = B64(signature),
            ["userHandle"] = B64(UserHandle),
        });
    }

    private byte[] ClientData(string type, string challenge) =>
        Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { type, challenge, origin, crossOrigin = false }));

    private byte[] AuthData(int flags, uint counter, byte[] rest) =>
        [.. SHA256.HashData(Encoding.UTF8.GetBytes(rpId)), (byte)flags, (byte)(counter >> 24), (byte)(counter >> 16), (byte)(counter >> 8), (byte)counter, .. rest];

    private string Json(JsonObject response) => new JsonObject
    {
        ["id"] = B64(CredentialId),
        ["rawId"] = B64(CredentialId),
        ["type"] = "public-key",
        ["response"] = response,
        ["clientExtensionResults"] = new JsonObject(),
    }.ToJsonString();

    private static string B64(byte[] bytes) => Base64Url.EncodeToString(bytes);

    public void Dispose() => _key.Dispose();

    /// <summary>The few CBOR shapes an authenticator writes (RFC 8949): small integers, byte and text strings, maps.</summary>
    private static class Cbor
    {
        public static byte[] Int(int value) => value >= 0 ? Head(0, (ulong)value) : Head(1, (ulong)(-1 - value));

        public static byte[] Bytes(byte[] value) => [.. Head(2, (ulong)value.Length), .. value];

        public static byte[] Text(string value) => [.. Head(3, (ulong)Encoding.UTF8.GetByteCount(value)), .. Encoding.UTF8.GetBytes(value)];

        public static byte[] Map(params (byte[] Key, byte[] Value)[] entries) =>
            [.. Head(5, (ulong)entries.Length), .. entries.SelectMany(e => e.Key.Concat(e.Value))];

        private static byte[] Head(int major, ulong length) => length switch
        {
            < 24 => [(byte)((major << 5) | (int)length)],
            <= byte.MaxValue => [(byte)((major << 5) | 24), (byte)length],
            _ => [(byte)((major << 5) | 25), (byte)(length >> 8), (byte)length],
        };
    }
}
