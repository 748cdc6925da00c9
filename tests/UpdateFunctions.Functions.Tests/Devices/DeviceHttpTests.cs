using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using UpdateFunctions.Core.Devices;
using UpdateFunctions.Functions.Devices;

namespace UpdateFunctions.Functions.Tests.Devices;

public sealed class DeviceHttpTests
{
    /// <summary>A body stream that hands out at most a few bytes per read, like a chunked upload without a length.</summary>
    private sealed class TricklingStream(byte[] data) : MemoryStream(data)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, 1000)], cancellationToken);
    }

    private static HttpRequest Request(byte[] body, bool sendLength, bool trickle = false)
    {
        var context = new DefaultHttpContext();
        context.Request.Body = trickle ? new TricklingStream(body) : new MemoryStream(body);
        if (sendLength)
            context.Request.ContentLength = body.Length;
        return context.Request;
    }

    private static ValueTask<DeviceResponse> Echo(ReadOnlyMemory<byte> body, CancellationToken _) =>
        ValueTask.FromResult(new DeviceResponse(200, body.ToArray()));

    private static DeviceResponse Unwrap(IActionResult result) => Assert.IsType<DeviceResult>(result).Response;

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, false)]
    [InlineData(false, true)]
    public async Task Body_up_to_the_limit_reaches_the_handler_intact(bool sendLength, bool trickle)
    {
        var body = Encoding.UTF8.GetBytes(new string('a', 10_000));

        var response = Unwrap(await DeviceHttp.WithBodyAsync(Request(body, sendLength, trickle), 10_000, Echo, CancellationToken.None));

        Assert.Equal(200, response.StatusCode);
        Assert.Equal(body, response.Body);
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, false)]
    [InlineData(false, true)]
    public async Task Body_over_the_limit_is_400_body_too_large_with_or_without_a_length(bool sendLength, bool trickle)
    {
        var body = new byte[10_001];
        var handled = false;

        var response = Unwrap(await DeviceHttp.WithBodyAsync(Request(body, sendLength, trickle), 10_000,
            (b, ct) => { handled = true; return Echo(b, ct); }, CancellationToken.None));

        Assert.False(handled);
        Assert.Equal(400, response.StatusCode);
        Assert.Contains(DeviceErrors.BodyTooLarge, Encoding.UTF8.GetString(response.Body), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Empty_body_reaches_the_handler_as_empty()
    {
        var response = Unwrap(await DeviceHttp.WithBodyAsync(Request([], sendLength: false), 100, Echo, CancellationToken.None));

        Assert.Empty(response.Body);
    }

    [Fact]
    public async Task Result_writes_status_json_and_retry_after()
    {
        var context = new DefaultHttpContext();
        context.Response.Body = new MemoryStream();
        var result = new DeviceResult(DeviceResponse.Unavailable(7));

        await result.ExecuteResultAsync(new ActionContext(context, new RouteData(), new ActionDescriptor()));

        Assert.Equal(503, context.Response.StatusCode);
        Assert.Equal("7", context.Response.Headers.RetryAfter.ToString());
        Assert.StartsWith("application/json", context.Response.ContentType, StringComparison.Ordinal);
        var text = Encoding.UTF8.GetString(((MemoryStream)context.Response.Body).ToArray());
        Assert.Contains("\"error\":\"service_unavailable\"", text, StringComparison.Ordinal);
        Assert.Contains("\"kind\":\"failed\"", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Query_takes_the_first_value_of_each_key()
    {
        var context = new DefaultHttpContext();
        context.Request.QueryString = new QueryString("?app_id=com.a.b&app_id=com.c.d&platform=ios");

        var query = DeviceHttp.QueryOf(context.Request);

        Assert.Equal("com.a.b", query["app_id"]);
        Assert.Equal("ios", query["platform"]);
    }
}
