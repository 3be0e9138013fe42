package web

import (
	"net/http"

	"github.com/espeks/espeks/internal/metrics"
)

// routes lists every route of the portal in one place. Paths are the Malay words users
// know from the procedures.
func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	public := func(h handlerFunc) http.Handler { return s.handle(h) }
	user := func(h handlerFunc) http.Handler { return s.handle(s.requireUser(h)) }
	admin := func(h handlerFunc) http.Handler { return s.handle(s.requireAdmin(h)) }
	staff := func(h handlerFunc) http.Handler { return s.handle(s.requireStaff(h)) }

	mux.Handle("GET /static/", s.assets.handler())
	mux.Handle("GET /healthz", http.HandlerFunc(s.healthz))
	mux.Handle("GET /readyz", http.HandlerFunc(s.readyz))
	// Prometheus text; restricted to the monitoring network at the reverse proxy
	// (docs/operations.md). The middleware's Cache-Control: no-store applies.
	mux.Handle("GET /metrics", metrics.Handler(s.outbox.Counts))

	mux.Handle("GET /{$}", public(s.landing))
	mux.Handle("POST /bahasa", public(s.setLanguage))

	// PK 0101 Pendaftaran
	mux.Handle("GET /daftar", public(s.registerForm))
	mux.Handle("POST /daftar", public(s.registerSubmit))
	mux.Handle("GET /daftar/diterima", public(s.registerDone))
	mux.Handle("GET /sahkan-emel", public(s.confirmEmailForm))
	mux.Handle("POST /sahkan-emel", public(s.confirmEmailSubmit))

	// Log Masuk / Log Keluar
	mux.Handle("GET /log-masuk", public(s.loginForm))
	mux.Handle("POST /log-masuk", public(s.loginSubmit))
	mux.Handle("POST /log-keluar", public(s.logout))

	// PK 0106 Lupa Kata Laluan
	mux.Handle("GET /lupa-kata-laluan", public(s.recoveryStart))
	mux.Handle("POST /lupa-kata-laluan", public(s.recoveryChoose))
	mux.Handle("POST /lupa-kata-laluan/hantar", public(s.recoverySubmit))

	mux.Handle("GET /utama", user(s.home))

	// PK 0102 eMaklum (staff and suppliers)
	mux.Handle("GET /emaklum", user(s.emaklumIndex))
	mux.Handle("GET /emaklum/csv", user(s.emaklumCSV))
	mux.Handle("GET /emaklum/{id}", user(s.paymentShow))
	mux.Handle("POST /emaklum/{id}/semak", user(s.paymentCheck))
	mux.Handle("GET /emaklum/{id}/pdf", user(s.paymentPDF))

	// PK 0103 ePayslip and PK 0104 eEC (staff only)
	mux.Handle("GET /epayslip", staff(s.epayslipIndex))
	mux.Handle("GET /epayslip/{id}", staff(s.epayslipShow))
	mux.Handle("GET /epayslip/{id}/pdf", staff(s.epayslipPDF))
	mux.Handle("GET /eec", staff(s.eecIndex))
	mux.Handle("GET /eec/{tahun}", staff(s.eecShow))
	mux.Handle("GET /eec/{tahun}/pdf", staff(s.eecPDF))

	// Akaun: PK 0107 Kemaskini Profil and the user's security events
	mux.Handle("GET /akaun", user(s.accountPage))
	mux.Handle("GET /akaun/profil", user(s.profileForm))
	mux.Handle("POST /akaun/profil", user(s.profileSubmit))

	// PK 0105 Tukar Kata Laluan
	mux.Handle("GET /akaun/tukar-kata-laluan", user(s.passwordForm))
	mux.Handle("POST /akaun/tukar-kata-laluan", user(s.passwordSubmit))

	// Pentadbir
	mux.Handle("GET /pentadbir", admin(s.adminIndex))
	mux.Handle("GET /pentadbir/pendaftaran", admin(s.adminRegistrations))
	mux.Handle("POST /pentadbir/pendaftaran/{id}/aktifkan", admin(s.adminActivate))
	mux.Handle("POST /pentadbir/pendaftaran/{id}/tolak", admin(s.adminReject))
	mux.Handle("GET /pentadbir/muat", admin(s.adminLoads))
	mux.Handle("POST /pentadbir/muat", admin(s.adminLoadUpload))
	mux.Handle("GET /pentadbir/muat/{id}", admin(s.adminLoad))
	mux.Handle("GET /pentadbir/kunci-api", admin(s.adminAPIKeys))
	mux.Handle("POST /pentadbir/kunci-api", admin(s.adminAPIKeyCreate))
	mux.Handle("POST /pentadbir/kunci-api/{id}/batal", admin(s.adminAPIKeyRevoke))
	mux.Handle("GET /pentadbir/emel", admin(s.adminOutbox))
	mux.Handle("GET /pentadbir/emel/{id}", admin(s.adminOutboxMessage))
	mux.Handle("POST /pentadbir/emel/{id}/cuba-semula", admin(s.adminOutboxRetry))
	mux.Handle("GET /pentadbir/pengguna", admin(s.adminUsers))
	mux.Handle("GET /pentadbir/pengguna/{id}", admin(s.adminUser))
	mux.Handle("POST /pentadbir/pengguna/{id}/gantung", admin(s.adminSuspend))
	mux.Handle("POST /pentadbir/pengguna/{id}/aktifkan-semula", admin(s.adminReactivate))
	mux.Handle("POST /pentadbir/pengguna/{id}/buka-kunci", admin(s.adminUnlock))
	mux.Handle("POST /pentadbir/pengguna/{id}/kata-laluan-sementara", admin(s.adminTempPassword))
	mux.Handle("POST /pentadbir/pengguna/{id}/peranan", admin(s.adminSetRole))
	mux.Handle("GET /pentadbir/audit", admin(s.adminAudit))
	mux.Handle("GET /pentadbir/audit.csv", admin(s.adminAuditCSV))

	// The load API: machine clients with a Pentadbir API key (DATA.md).
	mux.Handle("POST /api/v1/muat/{kind}", http.HandlerFunc(s.apiLoad))

	mux.Handle("/", public(s.notFound))
	return s.middleware(mux)
}
