#!/usr/bin/env bash
# Measures what the Herald analyzers cost in a build: generates a project with N event types (default 2000) in a
# temporary folder, builds it once (which also builds Herald from this repository and warms the compiler server),
# rebuilds it with -p:ReportAnalyzer=true, and prints the compiler's analyzer and generator timing for Herald.
#
#   bash benchmarks/AnalyzerCost/measure.sh [event-count]
#
# Every event has a handler and a publish call; a quarter have an [Event] name (durable); they hold shared nested
# records, collections and, one in ten, a nested record with a byte[] and a DateTime, so that every payload rule has
# work to do and some diagnostics to report.
set -euo pipefail

count="${1:-2000}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/herald-analyzer-cost.XXXXXX")"
# HERALD_KEEP=1 keeps the generated project and the build logs.
if [[ "${HERALD_KEEP:-}" != 1 ]]; then
    trap 'rm -rf "$work"' EXIT
fi
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 MSBUILDTERMINALLOGGER=off

cat > "$work/Synthetic.csproj" <<PROJECT
<Project Sdk="Microsoft.NET.Sdk">
  <Import Project="$root/eng/HeraldProjectReference.props" />
  <PropertyGroup>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <ImplicitUsings>enable</ImplicitUsings>
    <TreatWarningsAsErrors>false</TreatWarningsAsErrors>
  </PropertyGroup>
</Project>
PROJECT

cat > "$work/Shared.cs" <<'SOURCE'
namespace Synthetic;

public sealed record Money(long Cents, string Currency);
public sealed record Line(string Sku, int Quantity, Money Price);
public sealed record Address(string Street, string City, string Country);
public enum Channel { Web, Store, Phone }
SOURCE

per_file=50
files=$(( (count + per_file - 1) / per_file ))
for ((f = 0; f < files; f++)); do
    {
        echo "using Herald;"
        echo
        echo "namespace Synthetic;"
        echo
        for ((i = f * per_file; i < (f + 1) * per_file && i < count; i++)); do
            extra=""
            if ((i % 10 == 0)); then
                echo "public sealed record Detail$i(string Note, byte[] Scan, DateTime TakenAt);"
                extra=", Detail$i Detail"
            fi
            if ((i % 4 == 0)); then
                echo "[Event(\"synthetic.event-$i\")]"
            fi
            echo "public sealed record Event$i(Guid Id, string Name, int Quantity, DateTimeOffset At, Channel Channel, Money Total, IReadOnlyList<Line> Lines, Address Shipping$extra);"
        done
        echo
        echo "public static class Handlers$f"
        echo "{"
        for ((i = f * per_file; i < (f + 1) * per_file && i < count; i++)); do
            echo "    [Subscribe] public static void On(Event$i e) { }"
        done
        echo "}"
        echo
        echo "public static class Publishers$f"
        echo "{"
        echo "    public static async Task PublishAll(IEventBus bus, CancellationToken ct)"
        echo "    {"
        for ((i = f * per_file; i < (f + 1) * per_file && i < count; i++)); do
            echo "        await bus.PublishAsync(new Event$i(Guid.NewGuid(), \"n\", 1, DateTimeOffset.UtcNow, Channel.Web, new Money(1, \"EUR\"), [], new Address(\"s\", \"c\", \"x\")$( ((i % 10 == 0)) && echo ", new Detail$i(\"n\", [], DateTime.UtcNow)")), ct);"
        done
        echo "    }"
        echo "}"
    } > "$work/Events$f.cs"
done

echo "Synthetic project: $count event types in $files files, in $work"
echo "Warm-up build (builds Herald from $root) ..."
dotnet build "$work/Synthetic.csproj" -c Release > "$work/warmup.log" 2>&1 || { tail -n 40 "$work/warmup.log"; exit 1; }

echo "Measured build: dotnet build -c Release --no-dependencies -t:Rebuild -p:ReportAnalyzer=true -v:d"
dotnet build "$work/Synthetic.csproj" -c Release --no-dependencies -t:Rebuild -p:ReportAnalyzer=true -v:d > "$work/measured.log" 2>&1 \
    || { tail -n 40 "$work/measured.log"; exit 1; }

echo
echo "Diagnostics reported: $(grep -oE 'warning HER[0-9]{4}' "$work/measured.log" | sort | uniq -c | tr '\n' ' ')"
echo
# The compiler prints one table for analyzers and one for generators: their totals, then a row per assembly and
# per analyzer or generator ("time (s)  %  name"). Keep the totals and the Herald rows.
grep -E 'Total (analyzer|generator) execution time|^[[:space:]]*[0-9]+\.[0-9]+[[:space:]]+[0-9<]+[[:space:]]+Herald' "$work/measured.log" \
    | sed -E 's/^[[:space:]]+//' | awk '!seen[$0]++'
