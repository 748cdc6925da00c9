using UpdateFunctions.Core.Management;
using UpdateFunctions.Storage.Tests.Support;
using UpdateFunctions.Testing;

namespace UpdateFunctions.Storage.Tests.Management;

public sealed class BundleServiceTests(AzuriteFixture azurite) : TestTimeout, IClassFixture<AzuriteFixture>
{
    private const string AppId = "com.acme.app";
    private readonly ManagementTestBed _bed = new(azurite);

    private BundleService Bundles => _bed.Get<BundleService>();

    private async Task UploadAsync(UploadTicketDto ticket, byte[] zip)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Put, ticket.UploadUrl) { Content = new ByteArrayContent(zip) };
        request.Headers.Add("x-ms-blob-type", "BlockBlob");
        using var response = await http.SendAsync(request, Ct);
        response.EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task An_uploaded_and_committed_zip_becomes_a_visible_bundle()
    {
        await _bed.SeedAsync(AppId, Ct);
        var zip = TestZips.Create("one");

        var started = await Bundles.StartUploadAsync(ManagementTestBed.Writer, AppId, new CreateBundleRequest("1.0.0", zip.Length, TestZips.Sha256(zip)), Ct);
        Assert.Null(await _bed.Catalog.GetBundleAsync(AppId, "1.0.0", Ct));
        await UploadAsync(Assert.IsType<UploadTicketDto>(started.Value), zip);
        var committed = await Bundles.CommitUploadAsync(ManagementTestBed.Writer, AppId, "1.0.0", Ct);

        Assert.Equal((TestZips.Sha256(zip), (long)zip.Length), (committed.Value!.Checksum, committed.Value.Size));
        Assert.Equal(["1.0.0"], (await Bundles.ListBundlesAsync(AppId, Ct)).Value!.Select(b => b.Version));
    }

    [Fact]
    public async Task A_commit_of_other_bytes_than_announced_is_refused_and_leaves_no_bundle()
    {
        await _bed.SeedAsync(AppId, Ct);
        var zip = TestZips.Create("one");
        var started = await Bundles.StartUploadAsync(ManagementTestBed.Writer, AppId, new CreateBundleRequest("1.0.0", zip.Length, new string('0', 64)), Ct);
        await UploadAsync(Assert.IsType<UploadTicketDto>(started.Value), zip);

        var refused = await Bundles.CommitUploadAsync(ManagementTestBed.Writer, AppId, "1.0.0", Ct);

        Assert.Equal(ManagementErrors.ChecksumMismatch, refused.Error?.Code);
        Assert.Null(await _bed.Catalog.GetBundleAsync(AppId, "1.0.0", Ct));
    }

    [Fact]
    public async Task A_bundle_a_channel_serves_cannot_be_deleted()
    {
        await _bed.SeedAsync(AppId, Ct, "1.0.0");

        var refused = await Bundles.DeleteBundleAsync(ManagementTestBed.Writer, AppId, "1.0.0", null, Ct);

        Assert.Equal(ManagementErrors.Conflict, refused.Error?.Code);
        Assert.NotNull(await _bed.Catalog.GetBundleAsync(AppId, "1.0.0", Ct));
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            _bed.Dispose();
        base.Dispose(disposing);
    }
}
