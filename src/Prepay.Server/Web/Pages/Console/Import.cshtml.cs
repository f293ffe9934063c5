using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Prepay.Catalog.Imports;
using Prepay.Server.Apis;
using Prepay.Server.Web.Operations;

namespace Prepay.Server.Web.Pages.Operations;

/// <summary>
/// The catalog's bulk import for administrators (docs/import.md), as the API takes it: an installations file checked
/// only, or imported all or nothing. The file runs as a background job (<see cref="ImportJobs"/>) so that a large one
/// shows its progress: the page redirects to the job, console-import.js asks <see cref="OnGetProgress"/> until it is
/// done and reloads, and the page then shows the plan or every problem by line and column. The export downloads here.
/// </summary>
[Authorize(Policy = StaffPages.AdminPolicy)]
[RequestSizeLimit(CatalogImportApi.MaxBytes + 64 * 1024)]
[RequestFormLimits(MultipartBodyLengthLimit = CatalogImportApi.MaxBytes + 64 * 1024)]
public sealed class ImportModel(ImportJobs jobs, CatalogExport export) : PageModel
{
    public ImportJob? Job { get; private set; }

    public string? Error { get; private set; }

    public IActionResult OnGet(Guid? job)
    {
        if (job is { } id && (Job = jobs.Find(id)) is null)
        {
            Error = "No such import here: an import is kept an hour, on the server that ran it.";
        }
        return Page();
    }

    /// <summary>The job's progress for the page's script: phase, rows, checked, written and whether it is finished.</summary>
    public IActionResult OnGetProgress(Guid job) => jobs.Find(job) is { } j
        ? new JsonResult(new { phase = j.Progress.Phase.ToString().ToLowerInvariant(), rows = j.Progress.Rows, @checked = j.Progress.Checked, written = j.Progress.Written, finished = j.Finished })
        : NotFound();

    public Task<IActionResult> OnPostCheckAsync(IFormFile? file, CancellationToken ct) => StartAsync(file, dryRun: true, ct);

    public Task<IActionResult> OnPostImportAsync(IFormFile? file, CancellationToken ct) => StartAsync(file, dryRun: false, ct);

    // Written whole, then sent, as the API does: the CSV writer writes synchronously.
    public async Task<IActionResult> OnGetExportAsync(CancellationToken ct)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        await export.WriteAsync(text, ct);
        return File(new UTF8Encoding(false).GetBytes(text.ToString()), "text/csv; charset=utf-8", "installations.csv");
    }

    private async Task<IActionResult> StartAsync(IFormFile? file, bool dryRun, CancellationToken ct)
    {
        if (file is null || file.Length == 0)
        {
            Error = "Choose an installations file (CSV) first.";
            return Page();
        }
        if (file.Length > CatalogImportApi.MaxBytes)
        {
            Error = $"The file is {file.Length / (1024 * 1024)} MiB; at most {CatalogImportApi.MaxBytes / (1024 * 1024)} MiB (about 100,000 rows) is taken.";
            return Page();
        }
        // Read before the response: the job outlives the request and its form file.
        using var reader = new StreamReader(file.OpenReadStream(), Encoding.UTF8);
        var text = await reader.ReadToEndAsync(ct);
        var id = jobs.Start(text, dryRun, StaffActor.Of(User));
        return Redirect($"/console/import?job={id}");
    }
}
