// The UTF-8 fix must run before exceljs loads: keep this import first.
import "./exceljs-utf8.ts";
import ExcelJS from "exceljs";

export default ExcelJS;
