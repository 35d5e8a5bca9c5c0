// Package k8s holds the Kubernetes manifests of deploy/k8s; its test checks
// them against the fields of the Kubernetes API they use (kubectl cannot
// validate without a cluster) and runs the Job's command line for real.
package k8s

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"

	"gobragg/dataset"
	"gobragg/gather"
	"gobragg/shard"
)

// The structs below are the parts of the Kubernetes API (core/v1 and
// batch/v1, as of 1.33) that the manifests use, with the API's field names.
// Decoding with KnownFields rejects any field the API does not have at
// that place, so a misspelt or misplaced field fails the test.

type meta struct {
	Name   string            `yaml:"name"`
	Labels map[string]string `yaml:"labels"`
}

type object struct {
	APIVersion string            `yaml:"apiVersion"`
	Kind       string            `yaml:"kind"`
	Metadata   meta              `yaml:"metadata"`
	Data       map[string]string `yaml:"data"`
	Spec       yaml.Node         `yaml:"spec"`
}

type pvcSpec struct {
	AccessModes []string `yaml:"accessModes"`
	Resources   struct {
		Requests map[string]string `yaml:"requests"`
	} `yaml:"resources"`
	StorageClassName *string `yaml:"storageClassName"`
}

type jobSpec struct {
	CompletionMode       string `yaml:"completionMode"`
	Completions          *int   `yaml:"completions"`
	Parallelism          *int   `yaml:"parallelism"`
	BackoffLimit         *int   `yaml:"backoffLimit"`
	BackoffLimitPerIndex *int   `yaml:"backoffLimitPerIndex"`
	MaxFailedIndexes     *int   `yaml:"maxFailedIndexes"`
	Template             struct {
		Metadata meta    `yaml:"metadata"`
		Spec     podSpec `yaml:"spec"`
	} `yaml:"template"`
}

type podSpec struct {
	RestartPolicy   string `yaml:"restartPolicy"`
	SecurityContext struct {
		RunAsNonRoot *bool `yaml:"runAsNonRoot"`
		RunAsUser    *int  `yaml:"runAsUser"`
		RunAsGroup   *int  `yaml:"runAsGroup"`
		FSGroup      *int  `yaml:"fsGroup"`
	} `yaml:"securityContext"`
	Containers []container `yaml:"containers"`
	Volumes    []struct {
		Name      string `yaml:"name"`
		ConfigMap *struct {
			Name string `yaml:"name"`
		} `yaml:"configMap"`
		PersistentVolumeClaim *struct {
			ClaimName string `yaml:"claimName"`
		} `yaml:"persistentVolumeClaim"`
	} `yaml:"volumes"`
}

type container struct {
	Name            string   `yaml:"name"`
	Image           string   `yaml:"image"`
	ImagePullPolicy string   `yaml:"imagePullPolicy"`
	Command         []string `yaml:"command"`
	Args            []string `yaml:"args"`
	Env             []struct {
		Name      string `yaml:"name"`
		Value     string `yaml:"value"`
		ValueFrom *struct {
			ResourceFieldRef *struct {
				Resource string `yaml:"resource"`
				Divisor  string `yaml:"divisor"`
			} `yaml:"resourceFieldRef"`
		} `yaml:"valueFrom"`
	} `yaml:"env"`
	Resources struct {
		Requests map[string]string `yaml:"requests"`
		Limits   map[string]string `yaml:"limits"`
	} `yaml:"resources"`
	VolumeMounts []struct {
		Name      string `yaml:"name"`
		MountPath string `yaml:"mountPath"`
		ReadOnly  bool   `yaml:"readOnly"`
	} `yaml:"volumeMounts"`
}

// decodeStrict decodes v from node, refusing fields v does not have.
func decodeStrict(t *testing.T, node *yaml.Node, v any) {
	t.Helper()
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	require.NoError(t, enc.Encode(node))
	dec := yaml.NewDecoder(&buf)
	dec.KnownFields(true)
	require.NoError(t, dec.Decode(v))
}

// readObjects reads every document of a manifest file by kind.
func readObjects(t *testing.T, path string) map[string]object {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	dec := yaml.NewDecoder(f)
	dec.KnownFields(true)
	objs := map[string]object{}
	for {
		var o object
		err := dec.Decode(&o)
		if errors.Is(err, io.EOF) {
			break
		}
		require.NoError(t, err, path)
		require.NotContains(t, objs, o.Kind, "%s: one %s", path, o.Kind)
		objs[o.Kind] = o
	}
	return objs
}

// sweepJob is what the test needs of sweep-job.yaml.
type sweepJob struct {
	cm    object
	pvc   pvcSpec
	job   jobSpec
	claim string
	// mounts maps each container mount path to its volume's ConfigMap or claim name.
	mounts map[string]string
}

func loadSweepJob(t *testing.T) sweepJob {
	objs := readObjects(t, "sweep-job.yaml")
	var s sweepJob
	require.Contains(t, objs, "ConfigMap")
	require.Contains(t, objs, "PersistentVolumeClaim")
	require.Contains(t, objs, "Job")
	s.cm = objs["ConfigMap"]
	assert.Equal(t, "v1", s.cm.APIVersion)
	pvc := objs["PersistentVolumeClaim"]
	assert.Equal(t, "v1", pvc.APIVersion)
	decodeStrict(t, &pvc.Spec, &s.pvc)
	job := objs["Job"]
	assert.Equal(t, "batch/v1", job.APIVersion)
	decodeStrict(t, &job.Spec, &s.job)
	s.claim = pvc.Metadata.Name
	s.mounts = mounts(t, s.job.Template.Spec)
	return s
}

// mounts checks that every mount names a volume and every volume a source,
// and maps mount paths to the ConfigMap or claim behind them.
func mounts(t *testing.T, pod podSpec) map[string]string {
	require.Len(t, pod.Containers, 1)
	source := map[string]string{}
	for _, v := range pod.Volumes {
		switch {
		case v.ConfigMap != nil:
			source[v.Name] = "configmap:" + v.ConfigMap.Name
		case v.PersistentVolumeClaim != nil:
			source[v.Name] = "pvc:" + v.PersistentVolumeClaim.ClaimName
		default:
			t.Errorf("volume %s has no source", v.Name)
		}
	}
	out := map[string]string{}
	for _, m := range pod.Containers[0].VolumeMounts {
		require.Contains(t, source, m.Name, "mount %s names a volume", m.MountPath)
		out[m.MountPath] = source[m.Name]
	}
	return out
}

func TestSweepJobIsAnIndexedJob(t *testing.T) {
	s := loadSweepJob(t)
	j := s.job
	assert.Equal(t, "Indexed", j.CompletionMode)
	require.NotNil(t, j.Completions)
	require.NotNil(t, j.Parallelism)
	assert.GreaterOrEqual(t, *j.Completions, 1)
	assert.LessOrEqual(t, *j.Parallelism, *j.Completions)
	assert.NotNil(t, j.BackoffLimitPerIndex, "a failed index is retried on its own")
	pod := j.Template.Spec
	assert.Equal(t, "Never", pod.RestartPolicy, "backoffLimitPerIndex needs restartPolicy Never")
	c := pod.Containers[0]
	assert.Empty(t, c.Command, "the image's entry point is gobragg")
	require.NotEmpty(t, c.Args)
	assert.Equal(t, "sweep", c.Args[0])
	i := indexOf(c.Args, "-shard")
	require.GreaterOrEqual(t, i, 0)
	assert.Equal(t, "auto/"+strconv.Itoa(*j.Completions), c.Args[i+1], "-shard auto/N with N = completions")
	assert.Equal(t, c.Resources.Requests, c.Resources.Limits, "requests equal limits (Guaranteed pods)")
	for _, e := range c.Env {
		if e.Name == "GOMAXPROCS" {
			require.NotNil(t, e.ValueFrom)
			assert.Equal(t, "limits.cpu", e.ValueFrom.ResourceFieldRef.Resource)
		}
	}

	assert.Contains(t, s.pvc.AccessModes, "ReadWriteMany", "pods on several nodes write one volume")
	assert.NotEmpty(t, s.pvc.Resources.Requests["storage"])
	template := c.Args[indexOf(c.Args, "-template")+1]
	assert.Equal(t, "pvc:"+s.claim, s.mounts[mountOf(s.mounts, template)], "frames go to the claim")
	hkl := c.Args[indexOf(c.Args, "-hkl")+1]
	assert.Equal(t, "configmap:"+s.cm.Metadata.Name, s.mounts[mountOf(s.mounts, hkl)], "inputs come from the ConfigMap")
	assert.Contains(t, s.cm.Data, filepath.Base(hkl))

	g := readObjects(t, "gather-job.yaml")["Job"]
	var gj jobSpec
	decodeStrict(t, &g.Spec, &gj)
	gargs := gj.Template.Spec.Containers[0].Args
	assert.Equal(t, []string{"gather", filepath.Dir(template)}, gargs, "gather checks the sweep's directory")
	gm := mounts(t, gj.Template.Spec)
	assert.Equal(t, "pvc:"+s.claim, gm[mountOf(gm, gargs[1])])
}

// The Job's command line, with its paths moved to a temporary directory
// and the sweep shrunk to 4 small frames, runs as each index of the Job
// would (JOB_COMPLETION_INDEX), and the gather Job's command then finds the
// dataset complete.
func TestSweepJobRuns(t *testing.T) {
	s := loadSweepJob(t)
	dir := t.TempDir()
	c := s.job.Template.Spec.Containers[0]
	args := append([]string(nil), c.Args[1:]...)
	for mount, src := range s.mounts {
		local := filepath.Join(dir, filepath.Base(mount))
		require.NoError(t, os.MkdirAll(local, 0o755))
		if strings.HasPrefix(src, "configmap:") {
			for k, v := range s.cm.Data {
				require.NoError(t, os.WriteFile(filepath.Join(local, k), []byte(v), 0o644))
			}
		}
		for i, a := range args {
			if strings.HasPrefix(a, mount+"/") {
				args[i] = local + strings.TrimPrefix(a, mount)
			}
		}
	}
	set := func(option, value string) { args[indexOf(args, option)+1] = value }
	set("-frames", "4")
	set("-detpixels", "24")
	set("-phisteps", "1")
	set("-N", "3")
	g := readObjects(t, "gather-job.yaml")["Job"]
	t.Chdir(dir) // the sweep writes Fdump.bin where it runs, as nanoBragg does
	t.Setenv(shard.SlurmIndexVar, "")
	for i := 0; i < *s.job.Completions; i++ {
		t.Setenv(shard.KubernetesIndexVar, strconv.Itoa(i))
		var errs bytes.Buffer
		require.Equal(t, 0, dataset.SweepMain(args, io.Discard, &errs), "index %d: %s", i, errs.String())
	}
	var gj jobSpec
	decodeStrict(t, &g.Spec, &gj)
	gargs := gj.Template.Spec.Containers[0].Args
	var out, errs bytes.Buffer
	local := filepath.Join(dir, filepath.Base(mountOf(s.mounts, gargs[1]))) + strings.TrimPrefix(gargs[1], mountOf(s.mounts, gargs[1]))
	require.Equal(t, 0, gather.Main([]string{local}, &out, &errs), errs.String())
	assert.Contains(t, out.String(), "complete: every frame exactly once")
}

func indexOf(args []string, option string) int {
	for i, a := range args {
		if a == option {
			return i
		}
	}
	return -1
}

// mountOf returns the mount path that holds path ("" when none does).
func mountOf(mounts map[string]string, path string) string {
	for m := range mounts {
		if strings.HasPrefix(path, m+"/") {
			return m
		}
	}
	return ""
}
