using System.Text;
using System.Text.Json;
using UpdateFunctions.Core.Apps;
using UpdateFunctions.Core.Devices;
using UpdateFunctions.Core.Telemetry;

namespace UpdateFunctions.Core.Tests.Telemetry;

public sealed class TelemetryEnvelopeTests
{
    [Fact]
    public void An_event_round_trips_through_its_wire_form()
    {
        var device = new DeviceInfo(
            "com.example.app", "abc-123", Platform.Electron, "1.2.0", "1.0.0", IsEmulator: true, IsProd: false,
            IsOnBuiltin: false, VersionCode: "42", VersionOs: "14", PluginVersion: "8.1.0", CustomId: "u1",
            DefaultChannel: "beta", InstallSource: "store", KeyId: "k1");
        var statsEvent = new StatsEvent(
            device, "download_fail", "1.3.0", "1.2.0", 1_700_000_000_000,
            new Dictionary<string, string> { ["reason"] = "timeout" },
            new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));

        var bytes = TelemetryEnvelope.Serialize(statsEvent);
        Assert.True(TelemetryEnvelope.TryDeserialize(bytes, out var read, out var error), error);

        Assert.Equal(statsEvent with { Metadata = null }, read with { Metadata = null });
        Assert.Equal("timeout", read.Metadata!["reason"]);
    }

    [Fact]
    public void The_wire_form_is_snake_case_json_with_a_schema_version()
    {
        var device = new DeviceInfo("app", "d1", Platform.Ios, "1.0.0", "1.0.0", DefaultChannel: "beta");
        var statsEvent = new StatsEvent(device, "set", "1.0.0", null, null, null, DateTimeOffset.UnixEpoch);

        using var json = JsonDocument.Parse(TelemetryEnvelope.Serialize(statsEvent));

        var root = json.RootElement;
        Assert.Equal(1, root.GetProperty("v").GetInt32());
        Assert.Equal("set", root.GetProperty("action").GetString());
        Assert.Equal("ios", root.GetProperty("device").GetProperty("platform").GetString());
        Assert.Equal("beta", root.GetProperty("device").GetProperty("default_channel").GetString());
        Assert.True(root.TryGetProperty("received_at", out _));
        Assert.False(root.TryGetProperty("old_version_name", out _));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("{}")]
    [InlineData("""{"v":2,"device":{"app_id":"a","device_id":"d","platform":"ios"},"action":"set","version_name":"1","received_at":"2026-03-01T00:00:00Z"}""")]
    [InlineData("""{"v":1,"device":{"app_id":"a","device_id":"d","platform":"windows"},"action":"set","version_name":"1","received_at":"2026-03-01T00:00:00Z"}""")]
    [InlineData("""{"v":1,"device":{"app_id":"a","device_id":null,"platform":"ios"},"action":"set","version_name":"1","received_at":"2026-03-01T00:00:00Z"}""")]
    [InlineData("""{"v":1,"device":{"app_id":"a","device_id":"d","platform":"ios"},"action":"","version_name":"1","received_at":"2026-03-01T00:00:00Z"}""")]
    [InlineData("""{"v":1,"device":{"app_id":"a","device_id":"d","platform":"ios"},"action":"set","version_name":"1","received_at":"yesterday"}""")]
    public void A_body_that_is_not_a_valid_envelope_is_refused_with_a_reason_and_never_throws(string body)
    {
        var ok = TelemetryEnvelope.TryDeserialize(Encoding.UTF8.GetBytes(body), out var statsEvent, out var error);

        Assert.False(ok);
        Assert.Null(statsEvent);
        Assert.False(string.IsNullOrEmpty(error));
    }
}
