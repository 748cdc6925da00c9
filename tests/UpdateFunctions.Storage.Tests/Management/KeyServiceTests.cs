using UpdateFunctions.Core.Management;
using UpdateFunctions.Storage.Tests.Support;
using UpdateFunctions.Testing;

namespace UpdateFunctions.Storage.Tests.Management;

public sealed class KeyServiceTests(AzuriteFixture azurite) : TestTimeout, IClassFixture<AzuriteFixture>
{
    private readonly ManagementTestBed _bed = new(azurite);

    private KeyService Keys => _bed.Get<KeyService>();

    [Fact]
    public async Task A_minted_key_authenticates_is_listed_without_its_secret_and_is_refused_once_revoked()
    {
        var created = await Keys.CreateKeyAsync(ManagementTestBed.Admin, new CreateKeyRequest("ci", "upload", ["com.acme.app"]), Ct);
        var authenticator = _bed.Get<ManagementAuthenticator>();

        var caller = await authenticator.AuthenticateAsync(created.Value!.Key, Ct);
        var listed = Assert.Single((await Keys.ListKeysAsync(ManagementTestBed.Admin, Ct)).Value!);
        var revoked = await Keys.RevokeKeyAsync(ManagementTestBed.Admin, created.Value.Id, Ct);

        Assert.Equal((ApiRole.Upload, true), (caller!.Role, caller.IsLimited));
        Assert.Equal((created.Value.Id, "upload"), (listed.Id, listed.Role));
        Assert.Equal(ManagementStatus.NoContent, revoked.Status);
        Assert.Null(await authenticator.AuthenticateAsync(created.Value.Key, Ct));
        Assert.Empty((await Keys.ListKeysAsync(ManagementTestBed.Admin, Ct)).Value!);
    }

    [Fact]
    public async Task An_unknown_role_is_400()
    {
        var refused = await Keys.CreateKeyAsync(ManagementTestBed.Admin, new CreateKeyRequest("ci", "owner"), Ct);

        Assert.Equal(ManagementErrors.InvalidBody, refused.Error?.Code);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            _bed.Dispose();
        base.Dispose(disposing);
    }
}
