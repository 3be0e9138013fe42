package web_test

import (
	"bytes"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/espeks/espeks/internal/apptest"
)

const payrollCSV = `payroll_id,year,month,pay_date,ic_no,staff_no,name,position,grade,department_code,department_name,ptj_code,ptj_name,bank_name,bank_account,epf_no,socso_no,tax_no,item_code,item_name,category,amount
2026-03-UTAMA,2026,3,2026-03-25,850101-14-5123,G12345,Siti Aminah binti Abu,Penolong Akauntan,W29,KEW,Jabatan Kewangan,07100001,Perbendaharaan Negeri,Maybank,114012345678,12345678,850101145123,SG1234567890,0001,Gaji Pokok,BASIC,3500.00
2026-03-UTAMA,2026,3,2026-03-25,850101-14-5123,G12345,Siti Aminah binti Abu,Penolong Akauntan,W29,KEW,Jabatan Kewangan,07100001,Perbendaharaan Negeri,Maybank,114012345678,12345678,850101145123,SG1234567890,2001,KWSP,EPF,385.00
`

// upload posts a file through the Data page's multipart form.
func upload(t *testing.T, c *apptest.Client, kind, name, content string) apptest.Response {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	_ = mw.WriteField("kind", kind)
	fw, _ := mw.CreateFormFile("file", name)
	_, _ = fw.Write([]byte(content))
	_ = mw.Close()
	req, _ := http.NewRequest(http.MethodPost, strings.TrimSuffix(c.Get("/").Request.URL.String(), "/")+"/pentadbir/muat", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	res, err := c.HTTP.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var b bytes.Buffer
	_, _ = b.ReadFrom(res.Body)
	return apptest.Response{Response: res, Body: b.String()}
}

// TestUploadPage: a Pentadbir uploads a payroll file; the load page lists it with its
// counts; a bad file shows every error by line and column, in Malay; the pending list
// then says whether a registered ID is in the loaded data.
func TestUploadPage(t *testing.T) {
	e := apptest.Start(t, apptest.Options{})
	e.Client().Post("/daftar", validRegistration())
	c, _ := adminClient(t, e)
	r := upload(t, c, "payroll", "gaji-mac.csv", payrollCSV)
	if r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/pentadbir/muat/") {
		t.Fatalf("upload: %d %q", r.StatusCode, r.Header.Get("Location"))
	}
	detail := c.Get(r.Header.Get("Location"))
	if !strings.Contains(detail.Body, "Fail diterima") || !strings.Contains(text(t, detail.Body, "dl.summary"), "gaji-mac.csv") && !strings.Contains(detail.Body, "gaji-mac.csv") {
		t.Errorf("detail page: %s", text(t, detail.Body, "main"))
	}
	list := c.Get("/pentadbir/muat")
	if !strings.Contains(text(t, list.Body, "tbody"), "gaji-mac.csv") || !strings.Contains(text(t, list.Body, "tbody"), "Diterima") {
		t.Errorf("load list: %s", text(t, list.Body, "tbody"))
	}
	if got := text(t, c.Get("/pentadbir/pendaftaran").Body, "tbody"); !strings.Contains(got, "Ada") {
		t.Errorf("pending list does not show the ID is in the payroll data: %s", got)
	}

	bad := strings.Replace(payrollCSV, "385.00", "385,00", 1)
	bad = strings.Replace(bad, "3500.00", "RM3500", 1)
	r = upload(t, c, "payroll", "salah.csv", bad)
	detail = c.Get(r.Header.Get("Location"))
	rows := doc(t, detail.Body).Find("tbody tr")
	if rows.Length() != 2 {
		t.Fatalf("%d error rows, want 2: %s", rows.Length(), text(t, detail.Body, "main"))
	}
	var cells []string
	rows.First().Find("td").Each(func(_ int, td *goquery.Selection) { cells = append(cells, td.Text()) })
	if first := strings.Join(cells, "|"); !strings.HasPrefix(first, "2|amount|RM3500|Amaun tidak sah") {
		t.Errorf("first error row: %q", first)
	}
	if r := upload(t, c, "gaji", "x.csv", payrollCSV); r.StatusCode != http.StatusBadRequest {
		t.Errorf("unknown kind: %d", r.StatusCode)
	}
	staff := e.Client()
	if r := upload(t, staff, "payroll", "x.csv", payrollCSV); r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/log-masuk" {
		t.Errorf("anonymous upload: %d %q", r.StatusCode, r.Header.Get("Location"))
	}
}

// TestLoadAPI: a Pentadbir's API key loads files; answers are JSON: 201 accepted, 200
// already loaded, 422 with every error in both languages, 401 for a bad or revoked key.
func TestLoadAPI(t *testing.T) {
	e := apptest.Start(t, apptest.Options{})
	c, _ := adminClient(t, e)
	page := c.Post("/pentadbir/kunci-api", url.Values{"name": {"Pelayan SPEKS"}})
	key := text(t, page.Body, "#new-key")
	if !strings.HasPrefix(key, "espeks_") {
		t.Fatalf("no key shown: %s", text(t, page.Body, "main"))
	}
	if strings.Contains(c.Get("/pentadbir/kunci-api").Body, key) {
		t.Error("the key is shown again after creation")
	}
	api := func(kind, key, body string) (int, map[string]any) {
		req, _ := http.NewRequest(http.MethodPost, e.URL+"/api/v1/muat/"+kind+"?nama=mac.csv", strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+key)
		req.Header.Set("Content-Type", "text/csv")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var out map[string]any
		if err := json.NewDecoder(res.Body).Decode(&out); err != nil {
			t.Fatalf("not JSON: %v", err)
		}
		return res.StatusCode, out
	}
	if code, out := api("payroll", key, payrollCSV); code != http.StatusCreated || out["status"] != "ACCEPTED" || out["added"] != float64(1) {
		t.Errorf("load: %d %v", code, out)
	}
	if code, out := api("payroll", key, payrollCSV); code != http.StatusOK || out["status"] != "DUPLICATE" {
		t.Errorf("same file again: %d %v", code, out)
	}
	code, out := api("payroll", key, strings.Replace(payrollCSV, "BASIC", "GAJI", 1))
	errs, _ := out["errors"].([]any)
	if code != http.StatusUnprocessableEntity || len(errs) != 1 {
		t.Fatalf("bad file: %d %v", code, out)
	}
	first := errs[0].(map[string]any)
	if first["line"] != float64(2) || first["column"] != "category" || first["value"] != "GAJI" ||
		!strings.Contains(first["reason"].(string), "Kategori") || !strings.Contains(first["reason_en"].(string), "Unknown category") {
		t.Errorf("error: %v", first)
	}
	if code, _ := api("payroll", "espeks_salah", payrollCSV); code != http.StatusUnauthorized {
		t.Errorf("bad key: %d", code)
	}
	if code, _ := api("gaji", key, payrollCSV); code != http.StatusNotFound {
		t.Errorf("unknown kind: %d", code)
	}
	id, _ := doc(t, c.Get("/pentadbir/kunci-api").Body).Find("form[action^='/pentadbir/kunci-api/']").Attr("action")
	c.Post(id, nil)
	if code, _ := api("payroll", key, payrollCSV); code != http.StatusUnauthorized {
		t.Errorf("revoked key: %d", code)
	}
	var n int
	if err := e.App.DB.Q(t.Context()).QueryRowContext(t.Context(), `SELECT COUNT(*) FROM loads`).Scan(&n); err != nil || n != 3 {
		t.Errorf("%d loads recorded (%v), want 3", n, err)
	}
}
