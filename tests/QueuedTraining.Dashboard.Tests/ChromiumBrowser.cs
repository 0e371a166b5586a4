using Microsoft.Playwright;

namespace QueuedTraining.Dashboard.Tests;

/// <summary>
/// Debian's chromium (<c>/usr/bin/chromium</c>, installed by .ci/test.sh) driven by Playwright through its path, headless,
/// with a fresh profile each time. Playwright never downloads a browser here.
/// </summary>
internal sealed class ChromiumBrowser : IAsyncDisposable
{
    public const string ExecutablePath = "/usr/bin/chromium";

    private readonly IPlaywright _playwright;
    private readonly string _profile;

    private ChromiumBrowser(IPlaywright playwright, IBrowserContext context, string profile)
    {
        _playwright = playwright;
        Context = context;
        _profile = profile;
    }

    public IBrowserContext Context { get; }

    /// <summary>Starts chromium with a fresh profile; every request it makes carries <paramref name="headers"/>.</summary>
    public static async Task<ChromiumBrowser> LaunchAsync(IEnumerable<KeyValuePair<string, string>> headers)
    {
        if (!File.Exists(ExecutablePath))
        {
            throw new InvalidOperationException($"The dashboard test needs Debian's chromium at {ExecutablePath}: apt-get install -y chromium (.ci/test.sh does).");
        }

        var profile = Directory.CreateTempSubdirectory("qt-chromium-").FullName;
        var playwright = await Playwright.CreateAsync();
        var context = await playwright.Chromium.LaunchPersistentContextAsync(profile, new BrowserTypeLaunchPersistentContextOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
            ExtraHTTPHeaders = headers,
            ViewportSize = new ViewportSize { Width = 1280, Height = 1100 },
        });
        return new ChromiumBrowser(playwright, context, profile);
    }

    public async ValueTask DisposeAsync()
    {
        await Context.CloseAsync();
        _playwright.Dispose();
        try
        {
            Directory.Delete(_profile, recursive: true);
        }
        catch (IOException)
        {
            // chromium may still hold a lock file for a moment; the temp folder is cleaned by the OS.
        }
    }
}
