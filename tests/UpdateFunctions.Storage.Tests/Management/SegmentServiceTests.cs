using System.Text.Json;
using UpdateFunctions.Core.Management;
using UpdateFunctions.Storage.Tests.Support;
using UpdateFunctions.Testing;

namespace UpdateFunctions.Storage.Tests.Management;

public sealed class SegmentServiceTests(AzuriteFixture azurite) : TestTimeout, IClassFixture<AzuriteFixture>
{
    private const string AppId = "com.acme.app";
    private readonly ManagementTestBed _bed = new(azurite);

    private SegmentService Segments => _bed.Get<SegmentService>();

    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();

    [Fact]
    public async Task Put_creates_then_replaces_and_takes_the_name_from_the_path()
    {
        await _bed.SeedAsync(AppId, Ct, "1.0.0");

        var created = await Segments.PutSegmentAsync(ManagementTestBed.Writer, AppId, "ios", Json("""{"conditions":[{"platform":["ios"]}]}"""), null, Ct);
        _bed.Clock.Advance(TimeSpan.FromSeconds(1));
        var replaced = await Segments.PutSegmentAsync(ManagementTestBed.Writer, AppId, "ios", Json("""{"conditions":[{"platform":["ios","android"]}]}"""), created.ETag, Ct);

        Assert.Equal((ManagementStatus.Created, ManagementStatus.Ok), (created.Status, replaced.Status));
        Assert.Equal("ios", replaced.Value.GetProperty("name").GetString());
        Assert.Equal(["segment.update", "segment.create"], (await _bed.AuditAsync(AppId, Ct)).Select(e => e.Action));
    }

    [Fact]
    public async Task A_body_naming_another_segment_than_the_path_is_400()
    {
        await _bed.SeedAsync(AppId, Ct, "1.0.0");

        var refused = await Segments.PutSegmentAsync(ManagementTestBed.Writer, AppId, "ios", Json("""{"name":"android","conditions":[{"platform":["android"]}]}"""), null, Ct);

        Assert.Equal(ManagementErrors.InvalidBody, refused.Error?.Code);
        Assert.Null(await _bed.Catalog.GetSegmentAsync(AppId, "ios", Ct));
    }

    [Fact]
    public async Task Match_explains_each_condition_for_the_device()
    {
        await _bed.SeedAsync(AppId, Ct, "1.0.0");
        await Segments.PutSegmentAsync(ManagementTestBed.Writer, AppId, "ios", Json("""{"conditions":[{"platform":["ios"]}]}"""), null, Ct);
        var device = Json($$"""{"app_id":"{{AppId}}","device_id":"0c0ffee0-0000-4000-8000-0000000000b1","platform":"android","version_name":"1.0.0","version_build":"1.0.0","is_emulator":false,"is_prod":true}""");

        var match = await Segments.MatchSegmentAsync(AppId, "ios", device, Ct);

        Assert.False(match.Value!.Matched);
        Assert.False(Assert.Single(match.Value.Conditions).Holds);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            _bed.Dispose();
        base.Dispose(disposing);
    }
}
