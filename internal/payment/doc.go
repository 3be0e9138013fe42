// Package payment owns eMaklum (PK 0102): the payments the state made to a person or a
// company, the vouchers each settled, and their status history.
package payment
