// Package payslip owns payslips (ePayslip, PK 0103) and the Borang EC derived from them
// (eEC, PK 0104): the item categories, their blocks and their place on the EC.
package payslip
