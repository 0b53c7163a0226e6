package serve

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/photoscrub/photoscrub/pkg/meta"
)

// Metrics are the Prometheus metrics of a Server. Every label value comes
// from a fixed vocabulary (endpoint, HTTP code, status, category): never
// from a request.
type Metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	bytesIn  prometheus.Counter
	bytesOut prometheus.Counter
	findings *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	queue    prometheus.Gauge
	busy     prometheus.Gauge
}

// NewMetrics registers the metrics (and the Go and process collectors) in
// a new registry.
func NewMetrics() *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "photoscrub_requests_total", Help: "Upload requests by endpoint, HTTP code and report status.",
		}, []string{"endpoint", "code", "status"}),
		bytesIn: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "photoscrub_request_bytes_total", Help: "Body bytes received."}),
		bytesOut: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "photoscrub_response_bytes_total", Help: "Body bytes sent."}),
		findings: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "photoscrub_findings_total", Help: "Requests whose upload held metadata of each category.",
		}, []string{"category"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "photoscrub_request_duration_seconds", Help: "Time from the end of the headers to the answer.",
			Buckets: []float64{.001, .002, .005, .01, .02, .05, .1, .2, .5, 1, 2, 5, 10, 30},
		}, []string{"endpoint"}),
		queue: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "photoscrub_queue_depth", Help: "Requests waiting for a job slot."}),
		busy: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "photoscrub_jobs_busy", Help: "Job slots in use."}),
	}
	m.reg.MustRegister(m.requests, m.bytesIn, m.bytesOut, m.findings, m.latency, m.queue, m.busy,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	for _, c := range meta.Categories {
		m.findings.WithLabelValues(string(c))
	}
	return m
}

// Registry returns the registry (to add the program's own metrics).
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// Handler serves the metrics in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}

func (m *Metrics) observe(endpoint string, o *outcome, in, out int64, d time.Duration) {
	st := string(o.rec.Status)
	m.requests.WithLabelValues(endpoint, strconv.Itoa(o.code), st).Inc()
	m.bytesIn.Add(float64(in))
	m.bytesOut.Add(float64(out))
	m.latency.WithLabelValues(endpoint).Observe(d.Seconds())
	var seen [8]bool
	for _, f := range o.rec.Findings {
		for i, c := range meta.Categories {
			if f.Category == c && !seen[i] {
				seen[i] = true
				m.findings.WithLabelValues(string(c)).Inc()
			}
		}
	}
}
