using Digits.Data;
using Digits.Imaging;

namespace Digits.Tests.Data;

/// <summary>Labelled image folders: labels.csv or one subfolder per label, and errors that name the file and line.</summary>
public class ImageFolderTests
{
    private static readonly IReadOnlyList<string> Digits = DatasetCatalog.Mnist.Labels;

    private static void Picture(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        ImageEncoder.SavePng(path, new GrayImage(28, 28, TestData.Mnist.Test.Image(0).ToArray()));
    }

    [Fact]
    public void Labels_csv_gives_the_files_in_order_with_their_extra_columns()
    {
        using var folder = new TempFolder();
        Picture(folder.File("b.png"));
        Picture(folder.File("a.png"));
        File.WriteAllText(folder.File("labels.csv"), "file,label,font,note\nb.png,7,\"Comic, Neue\",x\na.png,2,Purisa\n");

        var read = ImageFolder.Read(folder.Path, Digits);

        Assert.Equal(ImageFolderLayout.LabelsCsv, read.Layout);
        Assert.Equal(["font", "note"], read.ExtraColumns);
        Assert.Equal(["b.png", "a.png"], read.Files.Select(f => f.Name));
        Assert.Equal([7, 2], read.Files.Select(f => f.Label));
        Assert.Equal("Comic, Neue", read.Files[0].Columns["font"]);
        Assert.Equal("", read.Files[1].Columns["note"]);
        Assert.Equal(folder.File("a.png"), read.Files[1].Path);
    }

    [Fact]
    public void Subfolders_give_each_label_its_pictures_by_name()
    {
        using var folder = new TempFolder();
        Picture(folder.File("3/b.png"));
        Picture(folder.File("3/a.jpg"));
        Picture(folder.File("0/z.PNG"));
        File.WriteAllText(folder.File("3/notes.txt"), "not a picture");

        var read = ImageFolder.Read(folder.Path, Digits);

        Assert.Equal(ImageFolderLayout.Subfolders, read.Layout);
        Assert.Equal(["0/z.PNG", "3/a.jpg", "3/b.png"], read.Files.Select(f => f.Name));
        Assert.Equal([0, 3, 3], read.Files.Select(f => f.Label));
        Assert.Empty(read.ExtraColumns);
    }

    [Theory]
    [InlineData("file,label\na.png,7\nb.png,x\n", "line 3: label 'x' is not one of 0, 1, 2, 3, 4, 5, 6, 7, 8, 9")]
    [InlineData("file,label\na.png\n", "line 2: 'a.png' has 1 column, expected at least 2 (file,label)")]
    [InlineData("file,label\nmissing.png,1\n", "line 2: missing.png not found in")]
    [InlineData("file,label\na.png,1\na.png,2\n", "line 3: a.png is listed twice")]
    [InlineData("name,digit\na.png,1\n", "line 1: header is 'name,digit', expected it to start with 'file,label'")]
    [InlineData("file,label\n", "lists no images")]
    [InlineData("", "is empty")]
    public void A_bad_labels_csv_names_the_file_and_the_line(string csv, string problem)
    {
        using var folder = new TempFolder();
        Picture(folder.File("a.png"));
        Picture(folder.File("b.png"));
        File.WriteAllText(folder.File("labels.csv"), csv);

        var e = Assert.Throws<DigitsException>(() => ImageFolder.Read(folder.Path, Digits));

        Assert.Equal(Path.Combine(folder.Path, "labels.csv"), e.Subject);
        Assert.Contains(problem, e.Problem);
    }

    [Fact]
    public void A_folder_without_labels_or_label_subfolders_is_refused()
    {
        using var folder = new TempFolder();
        Picture(folder.File("a.png"));

        var e = Assert.Throws<DigitsException>(() => ImageFolder.Read(folder.Path, Digits));

        Assert.Equal(folder.Path, e.Subject);
        Assert.StartsWith("holds neither labels.csv nor a subfolder per label", e.Problem);
    }

    [Fact]
    public void Label_subfolders_without_pictures_are_refused()
    {
        using var folder = new TempFolder();
        Directory.CreateDirectory(folder.File("4"));

        var e = Assert.Throws<DigitsException>(() => ImageFolder.Read(folder.Path, Digits));

        Assert.StartsWith("its label subfolders hold no images", e.Problem);
    }

    [Fact]
    public void A_missing_folder_and_a_file_are_named()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("x.txt"), "text");

        Assert.Equal("folder not found", Assert.Throws<DigitsException>(() => ImageFolder.Read(folder.File("none"), Digits)).Problem);
        Assert.StartsWith("is a file", Assert.Throws<DigitsException>(() => ImageFolder.Read(folder.File("x.txt"), Digits)).Problem);
        Assert.Equal("--images", Assert.Throws<InvalidOptionException>(() => ImageFolder.Read(" ", Digits)).Subject);
    }
}
