using System.Text.Json.Nodes;

namespace UpdateFunctions.LocalHost.Tests.Management;

[Collection(ManagementGroup.Name)]
public sealed class SegmentApiTests(ManagementFixture host)
{
    private const string Segments = "/api/v1/apps/com.demo.app/segments";

    [Fact]
    public async Task A_segment_is_created_read_explained_for_a_device_and_deleted()
    {
        var created = await host.SendAsync(HttpMethod.Put, $"{Segments}/vip", JsonNode.Parse("""
            {"match":"all","description":"paying iOS tenants","conditions":[{"platform":["ios"]},{"customIdPrefix":"vip-"}]}
            """));
        Assert.Equal(201, created.Status);
        Assert.Equal("vip", created.Str("name"));

        var read = await host.SendAsync(HttpMethod.Get, $"{Segments}/vip");
        Assert.Equal(200, read.Status);
        Assert.NotNull(read.ETag);

        var match = await host.SendAsync(HttpMethod.Post, $"{Segments}/vip/match", JsonNode.Parse("""
            {"app_id":"com.demo.app","device_id":"0c0ffee0-0000-4000-8000-0000000000f1","platform":"android",
             "version_name":"1.0.1","version_build":"1.0.0","custom_id":"vip-acme"}
            """));
        Assert.Equal(200, match.Status);
        Assert.False(match.Body!["matched"]!.GetValue<bool>());
        Assert.Equal("production", match.Str("channel"));
        var conditions = match.Body["conditions"]!.AsArray();
        Assert.Equal([false, true], conditions.Select(c => c!["holds"]!.GetValue<bool>()));
        Assert.Equal("platform in [ios]", conditions[0]!["condition"]!.GetValue<string>());

        var stale = await host.SendAsync(HttpMethod.Put, $"{Segments}/vip", JsonNode.Parse("""{"conditions":[{"isProd":true}]}"""), ifMatch: "\"stale\"");
        Assert.Equal(412, stale.Status);

        Assert.Equal(204, (await host.SendAsync(HttpMethod.Delete, $"{Segments}/vip")).Status);
        Assert.Equal(404, (await host.SendAsync(HttpMethod.Get, $"{Segments}/vip")).Status);
    }

    [Fact]
    public async Task The_seeded_segments_are_listed()
    {
        var list = await host.SendAsync(HttpMethod.Get, Segments);

        Assert.Equal(200, list.Status);
        Assert.Contains(list.Array, s => s!["name"]!.GetValue<string>() == "enterprise");
    }

    [Theory]
    [InlineData("""{"conditions":[{"country":["fr"]}]}""", "unknown condition")]
    [InlineData("""{"name":"other","conditions":[{"isProd":true}]}""", "the path")]
    [InlineData("""{"conditions":[]}""", "1 to 32")]
    public async Task Bad_segments_are_400_with_the_reason(string body, string reason)
    {
        var reply = await host.SendAsync(HttpMethod.Put, $"{Segments}/bad", JsonNode.Parse(body));

        Assert.Equal(400, reply.Status);
        Assert.Equal("invalid_body", reply.Error);
        Assert.Contains(reason, reply.Str("message"), StringComparison.Ordinal);
    }
}
