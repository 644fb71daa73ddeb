/**
 * A native BLAS under the wasm backend's matmuls and convolution filter gradients, opened at run
 * time through Deno's FFI: OpenBLAS on Linux, Accelerate on macOS, or any library with
 * `cblas_sgemm` named by `DNN_BLAS`. WebAssembly has 128-bit SIMD and no FMA; a native sgemm uses
 * the CPU's widest vectors with FMA, and takes the operands straight from the wasm heap (Deno's
 * FFI passes a pointer into the heap's buffer, no copy: its "buffer" arguments accept views of the
 * threaded build's SharedArrayBuffer).
 *
 * `DNN_BLAS` chooses:
 * - unset or `auto`: the first library found of {@linkcode BLAS_CANDIDATES};
 * - `off`: none, the plain wasm kernels;
 * - a path or library name (`libmkl_rt.so`): that library, or an error when it cannot be opened.
 *
 * `DNN_BLAS_THREADS` sets the most threads one sgemm may use: 1 unless set. One thread keeps
 * results independent of wasm's thread count and the same in a trial worker as in the main
 * process (OpenBLAS splits a product differently on 2 threads, and rounds differently), and never
 * competes with wasm's threads or with parallel trials for the cores. With more, products under
 * {@linkcode PARALLEL_MIN_PRODUCT} multiply-adds still run on one thread: a thread barrier costs
 * more than they take, and far more on a machine whose cores are busy with other work (there a
 * 65536x6x25 product took 22 ms on 2 threads against 5 ms on 1).
 *
 * Results on this path may differ from plain wasm's in the last bits (another summation order),
 * from one CPU kind to another (OpenBLAS picks its kernels by CPU) and with the thread count
 * (OpenBLAS splits a product differently), so the backend record names library, kernels and
 * threads, and the run's metrics say `wasm+openblas`. For one library, CPU kind and thread
 * setting they are the same bytes run after run: how a product is split depends only on its
 * shape.
 *
 * @module
 */

/** Where the library comes from and what it is, as `run.json` and the bench record it. */
export interface NativeBlasRecord {
  /** Short name for the backend label: `openblas`, `accelerate`, or `blas` for another library. */
  name: string;
  /** What was opened: a library name or path. */
  library: string;
  /**
   * Its version and, for OpenBLAS, the CPU kernels it chose (results differ between kernels):
   * `OpenBLAS 0.3.21, Haswell kernels`.
   */
  version: string;
  /** The most threads one sgemm uses; 0 where the library has no setting (Accelerate). */
  threads: number;
}

/**
 * Multiply-adds (m·n·k) from which one sgemm may use more than one thread: a 1024x1024x32
 * product, or a dense layer of 784x800 at batch 64 (40 M).
 */
export const PARALLEL_MIN_PRODUCT = 1 << 25;

/** Row-major, untransposed and transposed, as cblas numbers them. */
const CBLAS_ROW_MAJOR = 101;
const CBLAS_NO_TRANS = 111;
const CBLAS_TRANS = 112;

/** Libraries tried in order when `DNN_BLAS` is unset. */
export const BLAS_CANDIDATES: Record<string, readonly string[]> = {
  linux: [
    // Debian's and Ubuntu's libopenblas0-pthread, through the alternatives link...
    "libopenblas.so.0",
    // ...and the same library where the link points elsewhere (e.g. to the reference BLAS).
    "/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblas.so.0",
    "/usr/lib/aarch64-linux-gnu/openblas-pthread/libopenblas.so.0",
    "libopenblas.so",
  ],
  darwin: ["/System/Library/Frameworks/Accelerate.framework/Accelerate"],
  windows: ["libopenblas.dll", "openblas.dll"],
};

const SGEMM = {
  cblas_sgemm: {
    parameters: [
      "i32", // order
      "i32", // transA
      "i32", // transB
      "i32", // M
      "i32", // N
      "i32", // K
      "f32", // alpha
      "buffer", // A
      "i32", // lda
      "buffer", // B
      "i32", // ldb
      "f32", // beta
      "buffer", // C
      "i32", // ldc
    ],
    result: "void",
  },
} as const;

const OPENBLAS_EXTRAS = {
  // OpenBLAS's out-of-place transpose: 5 to 10 times faster than a JavaScript loop over the
  // wasm heap (a SharedArrayBuffer, whose element copies V8 makes one relaxed access at a time).
  cblas_somatcopy: {
    parameters: ["i32", "i32", "i32", "i32", "f32", "buffer", "i32", "buffer", "i32"],
    result: "void",
    optional: true,
  },
  openblas_get_config: { parameters: [], result: "pointer", optional: true },
  openblas_get_corename: { parameters: [], result: "pointer", optional: true },
  openblas_set_num_threads: { parameters: ["i32"], result: "void", optional: true },
} as const;

type SgemmLibrary = Deno.DynamicLibrary<typeof SGEMM & typeof OPENBLAS_EXTRAS>;

/** Each opened library's thread setting now, by name or path. */
const librarySettings = new Map<string, number>();

/** An open BLAS: single-precision matrix products on row-major matrices. */
export class NativeBlas {
  /** What it is, for the records. */
  readonly record: NativeBlasRecord;
  readonly #sgemm: SgemmLibrary["symbols"]["cblas_sgemm"];
  readonly #omatcopy: SgemmLibrary["symbols"]["cblas_somatcopy"];
  readonly #setThreads: SgemmLibrary["symbols"]["openblas_set_num_threads"];

  /**
   * @param library The opened library.
   * @param record Its description; `record.threads` is the most threads a product may use.
   */
  constructor(library: SgemmLibrary, record: NativeBlasRecord) {
    this.#sgemm = library.symbols.cblas_sgemm;
    this.#omatcopy = library.symbols.cblas_somatcopy;
    this.#setThreads = library.symbols.openblas_set_num_threads;
    this.record = record;
  }

  /** Sets the library's threads for a product of m·n·k multiply-adds, when it has the setting. */
  #threadsFor(product: number): void {
    if (!this.#setThreads) return;
    const threads = product >= PARALLEL_MIN_PRODUCT ? Math.max(1, this.record.threads) : 1;
    // The setting is the library's, shared by every handle to it.
    if (threads === librarySettings.get(this.record.library)) return;
    this.#setThreads(threads);
    librarySettings.set(this.record.library, threads);
  }

  /**
   * Copies the transpose of a `rows` x `cols` matrix: b[j·ldb + i] = a[i·lda + j]. Natively
   * where the library has `cblas_somatcopy` (OpenBLAS), in JavaScript otherwise.
   *
   * @param rows Rows of A.
   * @param cols Columns of A.
   * @param a A, from its first element.
   * @param lda A's row stride (at least `cols`).
   * @param b Receives Aᵀ, `cols` rows.
   * @param ldb B's row stride (at least `rows`).
   */
  transposeCopy(
    rows: number,
    cols: number,
    a: Float32Array,
    lda: number,
    b: Float32Array,
    ldb: number,
  ): void {
    if (rows === 0 || cols === 0) return;
    if (this.#omatcopy) {
      this.#omatcopy(
        CBLAS_ROW_MAJOR,
        CBLAS_TRANS,
        rows,
        cols,
        1,
        a as Float32Array<ArrayBuffer>,
        lda,
        b as Float32Array<ArrayBuffer>,
        ldb,
      );
      return;
    }
    for (let j = 0; j < cols; j++) {
      const out = j * ldb;
      for (let i = 0, from = j; i < rows; i++, from += lda) b[out + i] = a[from];
    }
  }

  /**
   * C = alpha·op(A)·op(B) + beta·C on row-major matrices: op(A) is M x K, op(B) K x N, C M x N.
   * The arrays may be views into the wasm heap; `lda`, `ldb` and `ldc` are their row strides in
   * elements (A's stored width: K, or M when transposed).
   *
   * @param transposeA Whether A is stored K x M.
   * @param transposeB Whether B is stored N x K.
   * @param m Rows of C.
   * @param n Columns of C.
   * @param k The summed dimension.
   * @param alpha Scales the product.
   * @param a A, from its first element.
   * @param lda A's row stride.
   * @param b B, from its first element.
   * @param ldb B's row stride.
   * @param beta Scales C's old value; 0 ignores it (even NaN).
   * @param c C, from its first element.
   * @param ldc C's row stride.
   */
  sgemm(
    transposeA: boolean,
    transposeB: boolean,
    m: number,
    n: number,
    k: number,
    alpha: number,
    a: Float32Array,
    lda: number,
    b: Float32Array,
    ldb: number,
    beta: number,
    c: Float32Array,
    ldc: number,
  ): void {
    if (m === 0 || n === 0) return;
    if (k === 0) {
      // BLAS would only scale C; its argument checks reject a zero leading dimension.
      scaleRows(c, m, n, ldc, beta);
      return;
    }
    this.#threadsFor(m * n * k);
    this.#sgemm(
      CBLAS_ROW_MAJOR,
      transposeA ? CBLAS_TRANS : CBLAS_NO_TRANS,
      transposeB ? CBLAS_TRANS : CBLAS_NO_TRANS,
      m,
      n,
      k,
      alpha,
      a as Float32Array<ArrayBuffer>,
      Math.max(1, lda),
      b as Float32Array<ArrayBuffer>,
      Math.max(1, ldb),
      beta,
      c as Float32Array<ArrayBuffer>,
      Math.max(1, ldc),
    );
  }
}

function scaleRows(c: Float32Array, m: number, n: number, ldc: number, beta: number): void {
  for (let i = 0; i < m; i++) {
    // beta = 0 ignores C's old values, NaN included, as BLAS does.
    for (let j = i * ldc; j < i * ldc + n; j++) c[j] = beta === 0 ? 0 : c[j] * beta;
  }
}

/** What {@linkcode openNativeBlas} found: the library, or why there is none. */
export type BlasSearch = { blas: NativeBlas; reason?: undefined } | {
  blas?: undefined;
  reason: string;
};

/**
 * Looks for a BLAS as `setting` says, and opens it.
 *
 * @param setting `DNN_BLAS`'s value: `auto` (or empty), `off`, or a library name or path.
 * @param threads The most threads one product may use (ignored by libraries without a thread
 *   setting).
 * @param os The operating system, for the default search list.
 * @returns The library, or one sentence saying why none is used.
 * @throws {Error} When `setting` names a library that cannot be opened or lacks `cblas_sgemm`.
 *
 * @example
 * ```ts
 * import { openNativeBlas } from "./native_blas.ts";
 * const off = openNativeBlas("off", 1);
 * if (off.blas || !off.reason.includes("DNN_BLAS=off")) throw new Error(off.reason);
 * ```
 */
export function openNativeBlas(
  setting: string,
  threads: number,
  os: string = Deno.build.os,
): BlasSearch {
  const value = setting.trim();
  if (value === "off") return { reason: "turned off with DNN_BLAS=off" };
  if (value !== "" && value !== "auto") {
    const opened = tryOpen(value, threads);
    if (typeof opened === "string") {
      throw new Error(
        `DNN_BLAS=${value}: expected a library with cblas_sgemm, but ${opened}; set DNN_BLAS=off ` +
          `for the plain wasm kernels, or unset it to search ${
            (BLAS_CANDIDATES[os] ?? []).join(", ")
          }`,
      );
    }
    return { blas: opened };
  }
  const candidates = BLAS_CANDIDATES[os] ?? [];
  const failures: string[] = [];
  for (const library of candidates) {
    const opened = tryOpen(library, threads);
    if (typeof opened !== "string") return { blas: opened };
    failures.push(opened);
  }
  const hint = os === "darwin" ? "" : " (apt-get install libopenblas0-pthread)";
  return {
    reason: candidates.length === 0
      ? `no native BLAS is searched for on ${os}; set DNN_BLAS to a library with cblas_sgemm`
      : `no native BLAS found${hint}: ${failures[0]}`,
  };
}

/** Opens one library; says why not when it cannot. */
function tryOpen(library: string, threads: number): NativeBlas | string {
  let opened: SgemmLibrary;
  // OpenBLAS's idle threads spin for 2^28 cycles (about 0.1 s) after each product before they
  // sleep, taking a core from the wasm threads that run next. 2^4: they sleep at once. Read once,
  // when the library loads.
  const timeout = Deno.env.get("OPENBLAS_THREAD_TIMEOUT");
  if (timeout === undefined) Deno.env.set("OPENBLAS_THREAD_TIMEOUT", "4");
  try {
    opened = Deno.dlopen(library, { ...SGEMM, ...OPENBLAS_EXTRAS });
  } catch (error) {
    const message = (error as Error).message.split("\n")[0];
    if (error instanceof Deno.errors.NotCapable || /--allow-ffi|permission/i.test(message)) {
      return `opening ${library} needs --allow-ffi (or -A)`;
    }
    return `${library} could not be opened (${message})`;
  } finally {
    // Child processes (the bench's PyTorch peer) keep their own default.
    if (timeout === undefined) Deno.env.delete("OPENBLAS_THREAD_TIMEOUT");
  }
  const symbols = opened.symbols;
  let name = "blas";
  let version = library;
  if (symbols.openblas_get_config) {
    name = "openblas";
    // "OpenBLAS 0.3.21 NO_LAPACKE DYNAMIC_ARCH NO_AFFINITY Haswell MAX_THREADS=64"
    const text = (pointer: Deno.PointerValue) =>
      pointer ? new Deno.UnsafePointerView(pointer).getCString().trim() : "";
    const config = text(symbols.openblas_get_config()).split(/\s+/).slice(0, 2).join(" ");
    const core = symbols.openblas_get_corename ? text(symbols.openblas_get_corename()) : "";
    version = `${config || "OpenBLAS"}${core ? `, ${core} kernels` : ""}`;
  } else if (/Accelerate|vecLib/.test(library)) {
    name = "accelerate";
    version = "Apple Accelerate";
  }
  const settable = symbols.openblas_set_num_threads !== null;
  return new NativeBlas(opened, { name, library, version, threads: settable ? threads : 0 });
}

let active: NativeBlas | undefined;
let search: BlasSearch | undefined;

/**
 * Finds the BLAS once per process, as `DNN_BLAS` and `DNN_BLAS_THREADS` say, and makes it the
 * one the wasm kernels use.
 *
 * @returns The library, or why there is none.
 * @throws {Error} When `DNN_BLAS` names a library that cannot be used, or
 *   `DNN_BLAS_THREADS` is not a positive integer.
 */
export function findNativeBlas(): BlasSearch {
  if (search) return search;
  const threadsSetting = Deno.env.get("DNN_BLAS_THREADS");
  const threads = threadsSetting === undefined ? 1 : Number(threadsSetting);
  if (!Number.isInteger(threads) || threads < 1) {
    throw new Error(
      `DNN_BLAS_THREADS: expected a positive integer, found ${JSON.stringify(threadsSetting)}`,
    );
  }
  search = openNativeBlas(Deno.env.get("DNN_BLAS") ?? "auto", threads);
  active = search.blas;
  return search;
}

/**
 * The BLAS the wasm kernels use now, if any.
 *
 * @returns The library, or `undefined` for the plain wasm kernels.
 *
 * @example
 * ```ts
 * import { activeNativeBlas, useNativeBlas } from "./native_blas.ts";
 * useNativeBlas(false);
 * if (activeNativeBlas() !== undefined) throw new Error("turned off");
 * ```
 */
export function activeNativeBlas(): NativeBlas | undefined {
  return active;
}

/**
 * Turns the BLAS kernels on or off for this process, e.g. to compare both paths in one test.
 * Turning them on finds the library first ({@linkcode findNativeBlas}); with none found they
 * stay off.
 *
 * @param enabled Whether the wasm kernels may use the BLAS.
 * @returns The library now in use, if any.
 */
export function useNativeBlas(enabled: boolean): NativeBlas | undefined {
  active = enabled ? findNativeBlas().blas : undefined;
  return active;
}

/**
 * The label a backend gets in metrics when it runs on a BLAS: `wasm+openblas`; the backend's
 * own name otherwise.
 *
 * @param backend The backend's name and its BLAS record, if any.
 * @returns E.g. `wasm+openblas`, `wasm`, `webgpu`.
 *
 * @example
 * ```ts
 * import { backendLabel } from "./native_blas.ts";
 * const blas = { name: "openblas", library: "libopenblas.so.0", version: "", threads: 2 };
 * if (backendLabel({ name: "wasm", nativeBlas: blas }) !== "wasm+openblas") throw new Error();
 * if (backendLabel({ name: "wasm" }) !== "wasm") throw new Error();
 * ```
 */
export function backendLabel(
  backend: { name: string; nativeBlas?: NativeBlasRecord },
): string {
  return backend.nativeBlas ? `${backend.name}+${backend.nativeBlas.name}` : backend.name;
}
