using UpdateFunctions.Core.Apps;
using UpdateFunctions.Core.Devices;
using UpdateFunctions.Core.Segments;
using UpdateFunctions.Core.Telemetry;

namespace UpdateFunctions.Core.Tests.Segments;

public sealed class SegmentDefinitionTests
{
    private static DeviceInfo Device(
        Platform platform = Platform.Android, string versionName = "1.4.0", string versionBuild = "1.2.0",
        string? customId = null, bool isEmulator = false, bool isProd = true, string deviceId = "0c0ffee0-0000-4000-8000-000000000001") =>
        new("com.demo.app", deviceId, platform, versionName, versionBuild, isEmulator, isProd, CustomId: customId);

    private static SegmentDefinition Parse(string json) =>
        SegmentJson.TryParse(json, out var segment, out var error) ? segment : throw new InvalidOperationException(error);

    private static SegmentDefinition One(string condition, string match = "all") =>
        Parse($$"""{"name":"s","match":"{{match}}","conditions":[{{condition}}]}""");

    [Theory]
    [InlineData("""{"platform":["ios"]}""", false)]
    [InlineData("""{"platform":["ios","android"]}""", true)]
    [InlineData("""{"versionBuild":{"min":"1.2.0"}}""", true)]
    [InlineData("""{"versionBuild":{"min":"1.2.1"}}""", false)]
    [InlineData("""{"versionBuild":{"max":"1.2.0"}}""", false)]
    [InlineData("""{"versionBuild":{"min":"1","max":"2"}}""", true)]
    [InlineData("""{"versionName":{"min":"1.3.0","max":"1.5.0"}}""", true)]
    [InlineData("""{"versionName":{"max":"1.4.0"}}""", false)]
    [InlineData("""{"customId":"ent-acme"}""", true)]
    [InlineData("""{"customId":"ent"}""", false)]
    [InlineData("""{"customIdPrefix":"ent-"}""", true)]
    [InlineData("""{"customIdPrefix":"beta-"}""", false)]
    [InlineData("""{"customIdIn":["x","ent-acme"]}""", true)]
    [InlineData("""{"channel":["beta"]}""", true)]
    [InlineData("""{"channel":["production"]}""", false)]
    [InlineData("""{"isEmulator":false}""", true)]
    [InlineData("""{"isProd":false}""", false)]
    [InlineData("""{"deviceIds":["0C0FFEE0-0000-4000-8000-000000000001"]}""", true)]
    [InlineData("""{"deviceIds":["0c0ffee0-0000-4000-8000-000000000002"]}""", false)]
    public void Each_condition_kind_matches_what_the_device_sends(string condition, bool expected)
    {
        Assert.Equal(expected, One(condition).Matches(Device(customId: "ent-acme"), channel: "beta"));
    }

    [Fact]
    public void All_needs_every_condition_and_any_needs_one()
    {
        const string conditions = """{"platform":["ios"]},{"customIdPrefix":"ent-"}""";

        Assert.False(One(conditions, "all").Matches(Device(customId: "ent-acme"), null));
        Assert.True(One(conditions, "any").Matches(Device(customId: "ent-acme"), null));
        Assert.False(One(conditions, "any").Matches(Device(customId: "consumer"), null));
    }

    [Fact]
    public void A_version_that_does_not_parse_is_outside_every_range()
    {
        Assert.False(One("""{"versionName":{"min":"0.0.1"}}""").Matches(Device(versionName: "unknown"), null));
    }

    [Fact]
    public void Explain_says_which_conditions_hold()
    {
        var segment = One("""{"platform":["android"]},{"isProd":false}""");

        var explained = segment.Explain(Device(), null);

        Assert.Equal([true, false], explained.Select(e => e.Holds));
        Assert.Equal("platform in [android]", explained[0].Condition.Describe());
    }

    [Fact]
    public void Json_round_trips()
    {
        const string json = """{"name":"enterprise","match":"any","description":"paying tenants","conditions":[{"platform":["android","ios"]},{"versionBuild":{"min":"1.2.0","max":"2.0.0"}},{"customIdPrefix":"ent-"},{"customIdIn":["a","b"]},{"channel":["beta"]},{"isEmulator":false},{"isProd":true},{"deviceIds":["abc-1"]},{"customId":"x"},{"versionName":{"min":"1.0.0"}}]}""";

        Assert.Equal(json, SegmentJson.Write(Parse(json)));
    }

    [Theory]
    [InlineData("""{"name":"all","conditions":[{"isProd":true}]}""", "not 'all'")]
    [InlineData("""{"name":"s","conditions":[]}""", "1 to 32")]
    [InlineData("""{"name":"s","conditions":[{"isProd":true,"isEmulator":true}]}""", "exactly one")]
    [InlineData("""{"name":"s","conditions":[{"country":["fr"]}]}""", "unknown condition")]
    [InlineData("""{"name":"s","conditions":[{"platform":["windows"]}]}""", "unknown platform")]
    [InlineData("""{"name":"s","conditions":[{"versionBuild":{"min":"2.0.0","max":"1.0.0"}}]}""", "below max")]
    [InlineData("""{"name":"s","conditions":[{"versionBuild":{"min":"latest"}}]}""", "semantic version")]
    [InlineData("""{"name":"s","match":"most","conditions":[{"isProd":true}]}""", "match must be")]
    [InlineData("""{"name":"s","conditions":[{"isProd":"yes"}]}""", "true or false")]
    [InlineData("""{"name":"s","colour":"red","conditions":[{"isProd":true}]}""", "unknown property")]
    public void Bad_definitions_are_refused_with_a_reason(string json, string reason)
    {
        Assert.False(SegmentJson.TryParse(json, out _, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_snapshot_matches_at_most_the_buffer_it_is_given_in_name_order()
    {
        var segments = Enumerable.Range(0, 12).Select(i => Parse($$"""{"name":"s{{i:D2}}","conditions":[{"isProd":true}]}"""));
        var app = new AppSnapshot(new AppDefinition("com.demo.app", "Demo", null), [], [], [], DateTimeOffset.UnixEpoch, segments);
        var names = new string[MetricsFold.MaxSegmentsPerEvent];

        var count = app.MatchSegments(Device(), null, names);

        Assert.Equal(8, count);
        Assert.Equal("s00", names[0]);
        Assert.Equal("s07", names[7]);
    }

    [Fact]
    public void Segments_stamped_on_an_event_decide_its_metric_rows()
    {
        var statsEvent = new StatsEvent(Device(), "set", "1.4.0", null, null, null, DateTimeOffset.UnixEpoch, "production", ["enterprise", "beta-testers"]);

        var folded = MetricsFold.Fold([statsEvent], AllSegmentClassifier.Instance);

        Assert.Equal(["all", "beta-testers", "enterprise"], folded.Keys.Select(k => k.Segment).Order(StringComparer.Ordinal));
        Assert.All(folded.Keys, k => Assert.Equal("production", k.Channel));
    }
}
