using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace Digits.Web;

/// <summary>
/// What <c>GET /metrics</c> reports, in Prometheus' text format: requests and their latency by endpoint and status
/// (a histogram), and predictions by status. Counting is lock-free; a scrape reads whatever has been counted so far.
/// </summary>
public sealed class ServerMetrics
{
    /// <summary>Upper bounds of the latency buckets, in seconds.</summary>
    private static readonly double[] Bounds = [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

    private readonly ConcurrentDictionary<(string Endpoint, int Status), Series> requests = new();
    private readonly ConcurrentDictionary<string, long[]> predictions = new();

    /// <summary>One request's endpoint (its route, or "other"), status code and duration.</summary>
    public void RecordRequest(string endpoint, int status, double seconds)
    {
        var series = requests.GetOrAdd((endpoint, status), _ => new Series());
        int bucket = Array.BinarySearch(Bounds, seconds);
        series.Add(bucket < 0 ? ~bucket : bucket, seconds);
    }

    /// <summary>One answer's status (ok, unsure, no-digit, error).</summary>
    public void RecordPrediction(string status) => Interlocked.Increment(ref predictions.GetOrAdd(status, _ => new long[1])[0]);

    /// <summary>The Prometheus text exposition of everything counted.</summary>
    public string Render()
    {
        var text = new StringBuilder();
        var ordered = requests.OrderBy(r => r.Key.Endpoint, StringComparer.Ordinal).ThenBy(r => r.Key.Status).ToArray();
        text.Append("# HELP digits_http_requests_total HTTP requests answered, by endpoint and status code.\n");
        text.Append("# TYPE digits_http_requests_total counter\n");
        foreach (var (key, series) in ordered)
            text.Append(CultureInfo.InvariantCulture, $"digits_http_requests_total{Labels(key)} {series.Count}\n");
        text.Append("# HELP digits_http_request_duration_seconds Time from the request's arrival to its answer.\n");
        text.Append("# TYPE digits_http_request_duration_seconds histogram\n");
        foreach (var (key, series) in ordered)
        {
            long cumulative = 0;
            string endpoint = Escape(key.Endpoint);
            for (int b = 0; b <= Bounds.Length; b++)
            {
                cumulative += Interlocked.Read(ref series.Buckets[b]);
                string le = b < Bounds.Length ? Bounds[b].ToString("R", CultureInfo.InvariantCulture) : "+Inf";
                text.Append(CultureInfo.InvariantCulture,
                    $"digits_http_request_duration_seconds_bucket{{endpoint=\"{endpoint}\",status=\"{key.Status}\",le=\"{le}\"}} {cumulative}\n");
            }
            text.Append(CultureInfo.InvariantCulture, $"digits_http_request_duration_seconds_sum{Labels(key)} {series.Sum:R}\n");
            text.Append(CultureInfo.InvariantCulture, $"digits_http_request_duration_seconds_count{Labels(key)} {series.Count}\n");
        }
        text.Append("# HELP digits_predictions_total Answers given, by status.\n");
        text.Append("# TYPE digits_predictions_total counter\n");
        foreach (var (status, count) in predictions.OrderBy(p => p.Key, StringComparer.Ordinal))
            text.Append(CultureInfo.InvariantCulture, $"digits_predictions_total{{status=\"{Escape(status)}\"}} {Interlocked.Read(ref count[0])}\n");
        return text.ToString();
    }

    private static string Labels((string Endpoint, int Status) key) => $"{{endpoint=\"{Escape(key.Endpoint)}\",status=\"{key.Status}\"}}";

    private static string Escape(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);

    /// <summary>One endpoint and status: bucket counts (the last is +Inf), total count and sum of seconds.</summary>
    private sealed class Series
    {
        public readonly long[] Buckets = new long[Bounds.Length + 1];
        private long count;
        private long sumTicks;

        public long Count => Interlocked.Read(ref count);

        public double Sum => Interlocked.Read(ref sumTicks) / 1e7;

        public void Add(int bucket, double seconds)
        {
            Interlocked.Increment(ref Buckets[bucket]);
            Interlocked.Add(ref sumTicks, (long)(seconds * 1e7));
            Interlocked.Increment(ref count);
        }
    }
}
